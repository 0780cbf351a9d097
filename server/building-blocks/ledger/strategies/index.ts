import { atomicStrategy } from './atomic';
import type { BalanceStrategy, BalanceStrategyName } from './balance-strategy';
import { forUpdateStrategy } from './for-update';
import { inProcessLockStrategy } from './in-process-lock';
import { optimisticStrategy } from './optimistic';
import { redisLockStrategy } from './redis-lock';

export type { BalanceStrategy, BalanceStrategyName } from './balance-strategy';
export { BALANCE_STRATEGY_NAMES } from './balance-strategy';

const STRATEGIES: Record<BalanceStrategyName, BalanceStrategy> = {
  atomic: atomicStrategy,
  'for-update': forUpdateStrategy,
  optimistic: optimisticStrategy,
  'redis-lock': redisLockStrategy,
  'in-process-lock': inProcessLockStrategy,
};

let chosen: BalanceStrategy | undefined;

/** The configured strategy (BALANCE_STRATEGY, validated by server/building-blocks/env.ts; default `atomic`). */
export function balanceStrategy(): BalanceStrategy {
  chosen ??=
    STRATEGIES[(process.env.BALANCE_STRATEGY as BalanceStrategyName | undefined) ?? 'atomic'] ??
    atomicStrategy;
  return chosen;
}

/** For the tests that run one suite against every strategy. */
export function useBalanceStrategy(name: BalanceStrategyName): void {
  chosen = STRATEGIES[name];
}
