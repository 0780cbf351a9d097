-- The operator's console acts on payments too: a refund an admin makes and a re-check with Toss an admin
-- asks for are recorded in the audit log like every other admin action.
ALTER TYPE "admin_action_kind" ADD VALUE 'ORDER_REFUND';
ALTER TYPE "admin_action_kind" ADD VALUE 'ORDER_RECHECK';
