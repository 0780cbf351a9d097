/*
 * Toss Payments payment widget v1, offline sandbox edition.
 *
 * Implements the surface of https://js.tosspayments.com/v1/payment-widget that the checkout page uses
 * (window.PaymentWidget → renderPaymentMethods, renderAgreement, requestPayment), validates like the
 * real widget, and replaces Toss's card authentication with an approval step where the shopper can
 * approve, cancel, or have the card refused. It then redirects exactly as Toss does. Loaded through
 * the SDK's `src` option when the app runs without real Toss keys.
 */
(() => {
  const script = document.currentScript;
  const apiBase =
    (script && new URL(script.src, location.href).searchParams.get('api')) || '/api/toss-sandbox';
  const ORDER_ID = /^[A-Za-z0-9_=-]{6,64}$/;
  const CUSTOMER_KEY = /^[A-Za-z0-9\-_=.@]{2,50}$/;

  function widgetError(code, message) {
    const error = new Error(message);
    error.name = 'TossPaymentsError';
    error.code = code;
    return error;
  }

  function amountValue(amount) {
    const value = typeof amount === 'object' && amount !== null ? amount.value : amount;
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw widgetError('INVALID_AMOUNT_VALUE', '결제 금액이 올바르지 않습니다.');
    if (value <= 0) throw widgetError('BELOW_ZERO_AMOUNT', '금액은 0보다 커야 합니다.');
    if (!Number.isInteger(value))
      throw widgetError('INVALID_AMOUNT_VALUE', '원화 결제 금액은 정수여야 합니다.');
    return value;
  }

  function isAbsoluteUrl(value) {
    try {
      return Boolean(new URL(value).origin);
    } catch {
      return false;
    }
  }

  function won(value) {
    return `${value.toLocaleString('ko-KR')}원`;
  }

  function el(tag, props, children) {
    const node = document.createElement(tag);
    Object.assign(node, props || {});
    for (const child of children || []) node.append(child);
    return node;
  }

  function PaymentWidget(clientKey, customerKey) {
    if (typeof clientKey !== 'string' || !/^(test|live)_gck_/.test(clientKey)) {
      throw widgetError('INVALID_CLIENT_KEY', '결제위젯 연동 키의 클라이언트 키로 SDK를 연동해주세요.');
    }
    if (/^(test|live)_g?sk_/.test(String(customerKey))) {
      throw widgetError('INSECURE_KEY_USAGE', '시크릿 키는 브라우저에서 사용할 수 없습니다.');
    }
    if (customerKey !== PaymentWidget.ANONYMOUS && !CUSTOMER_KEY.test(String(customerKey))) {
      throw widgetError(
        'INVALID_CUSTOMER_KEY',
        'customerKey는 2자 이상 50자 이하의 영문, 숫자, -_=.@ 문자로 이루어져야 합니다.',
      );
    }

    const state = { amount: null, method: null, agreed: false, methods: null, agreement: null, busy: false };

    function renderPaymentMethods(selector, amount) {
      const host = document.querySelector(selector);
      if (!host) throw widgetError('INVALID_SELECTOR', `${selector}에 해당하는 엘리먼트를 찾을 수 없습니다.`);
      if (state.methods)
        throw widgetError(
          'PAYMENT_METHODS_WIDGET_ALREADY_RENDERED',
          '결제수단 위젯이 이미 렌더링되었습니다.',
        );
      state.amount = amountValue(amount);
      const listeners = { ready: [] };
      const amountLabel = el('p', {
        className: 'tsbx-amount',
        textContent: `결제 금액 ${won(state.amount)}`,
      });
      const option = (value, label, disabled) => {
        const input = el('input', { type: 'radio', name: 'tsbx-method', value, disabled });
        input.addEventListener('change', () => {
          state.method = value;
        });
        return el('label', { className: 'tsbx-option' }, [input, ` ${label}`]);
      };
      const card = option('카드', '신용·체크카드', false);
      card.querySelector('input').checked = true;
      state.method = '카드';
      host.replaceChildren(
        el('fieldset', { className: 'tsbx-methods' }, [
          el('legend', { textContent: '결제 수단 · 토스페이먼츠 샌드박스' }),
          card,
          option('계좌이체', '계좌이체 (샌드박스 미지원)', true),
          amountLabel,
        ]),
      );
      state.methods = {
        UPDATE_REASON: { COUPON: 'COUPON', POINT: 'POINT' },
        updateAmount(next) {
          state.amount = amountValue(next);
          amountLabel.textContent = `결제 금액 ${won(state.amount)}`;
        },
        on(event, callback) {
          if (event === 'ready') setTimeout(callback, 0);
          else {
            listeners[event] = listeners[event] || [];
            listeners[event].push(callback);
          }
        },
        getSelectedPaymentMethod() {
          return state.method ? { type: 'NORMAL', method: state.method } : null;
        },
      };
      return state.methods;
    }

    function agreementStatus() {
      return {
        agreedRequiredTerms: state.agreed,
        terms: [
          {
            id: 'sandbox-terms',
            agreed: state.agreed,
            required: true,
            title: '[필수] 결제 서비스 이용 약관, 개인정보 처리 동의',
            content: '',
          },
        ],
      };
    }

    function renderAgreement(selector) {
      const host = document.querySelector(selector);
      if (!host) throw widgetError('INVALID_SELECTOR', `${selector}에 해당하는 엘리먼트를 찾을 수 없습니다.`);
      if (state.agreement)
        throw widgetError('AGREEMENT_WIDGET_ALREADY_RENDERED', '약관 위젯이 이미 렌더링되었습니다.');
      const listeners = [];
      const box = el('input', { type: 'checkbox', id: 'tsbx-agree' });
      box.addEventListener('change', () => {
        state.agreed = box.checked;
        for (const listener of listeners) listener(agreementStatus());
      });
      host.replaceChildren(
        el('div', { className: 'tsbx-agreement' }, [
          box,
          el('label', {
            htmlFor: 'tsbx-agree',
            textContent: ' [필수] 결제 서비스 이용 약관, 개인정보 처리 동의',
          }),
        ]),
      );
      state.agreement = {
        on(event, callback) {
          if (event === 'change') listeners.push(callback);
        },
        getAgreementStatus: agreementStatus,
      };
      return state.agreement;
    }

    function validate(info) {
      if (!info || typeof info !== 'object') throw widgetError('INVALID_PARAMETERS', '결제 정보가 없습니다.');
      if (!ORDER_ID.test(String(info.orderId))) {
        throw widgetError(
          'INVALID_PARAMETERS',
          'orderId는 6자 이상 64자 이하의 영문, 숫자, -_= 문자여야 합니다.',
        );
      }
      if (typeof info.orderName !== 'string' || !info.orderName || info.orderName.length > 100) {
        throw widgetError('INVALID_PARAMETERS', 'orderName은 1자 이상 100자 이하여야 합니다.');
      }
      for (const field of ['customerEmail', 'customerName']) {
        if (info[field] != null && String(info[field]).length > 100) {
          throw widgetError('INVALID_PARAMETERS', `${field}는 100자 이하여야 합니다.`);
        }
      }
      if (info.successUrl !== undefined && !isAbsoluteUrl(info.successUrl)) {
        throw widgetError(
          'INCORRECT_SUCCESS_URL_FORMAT',
          'successUrl은 origin을 포함한 절대 경로여야 합니다.',
        );
      }
      if (info.failUrl !== undefined && !isAbsoluteUrl(info.failUrl)) {
        throw widgetError('INCORRECT_FAIL_URL_FORMAT', 'failUrl은 origin을 포함한 절대 경로여야 합니다.');
      }
      if (state.amount === null) throw widgetError('NOT_SETUP_AMOUNT', '결제 금액이 설정되지 않았습니다.');
      if (!state.method) throw widgetError('NOT_SELECTED_PAYMENT_METHOD', '결제수단을 선택해주세요.');
      if (!state.agreed) throw widgetError('NEED_AGREEMENT_WITH_REQUIRED_TERMS', '필수 약관에 동의해주세요.');
    }

    /**
     * The approval step that stands in for the card company: approve, refuse, or cancel. A modal
     * <dialog>: the page behind it is inert, focus starts on 결제 승인 and Tab stays on the dialog's three
     * buttons, Escape cancels the payment (as closing Toss's window does), and focus returns afterwards
     * to whatever had it before.
     */
    function askShopper(info) {
      return new Promise((resolve) => {
        const previous = document.activeElement;
        let settled = false;
        const settle = (outcome) => {
          if (settled) return;
          settled = true;
          if (dialog.open) dialog.close();
          dialog.remove();
          if (previous && typeof previous.focus === 'function') previous.focus();
          resolve(outcome);
        };
        const button = (label, outcome, primary) =>
          el('button', {
            type: 'button',
            textContent: label,
            className: primary ? 'tsbx-primary' : '',
            onclick: () => settle(outcome),
          });
        const buttons = [
          button('결제 승인', 'approve', true),
          button('카드 거절', 'reject', false),
          button('결제 취소', 'cancel', false),
        ];
        const dialog = el('dialog', { className: 'tsbx-dialog', ariaLabel: '토스페이먼츠 결제 승인' }, [
          el('h2', { textContent: '토스페이먼츠 결제 (샌드박스)' }),
          el('p', { textContent: info.orderName }),
          el('p', { className: 'tsbx-total', textContent: won(state.amount) }),
          el('p', {
            className: 'tsbx-note',
            textContent: '테스트 카드 1234-56**-****-000* · 실제로 청구되지 않아요.',
          }),
          el('div', { className: 'tsbx-actions' }, buttons),
        ]);
        // Escape: the browser's "cancel" on a modal dialog; a close by any other means cancels too.
        dialog.addEventListener('cancel', (event) => {
          event.preventDefault();
          settle('cancel');
        });
        dialog.addEventListener('close', () => settle('cancel'));
        dialog.addEventListener('keydown', (event) => {
          if (event.key !== 'Tab') return;
          const at = buttons.indexOf(document.activeElement);
          const next = (at + (event.shiftKey ? buttons.length - 1 : 1)) % buttons.length;
          event.preventDefault();
          buttons[at === -1 ? 0 : next].focus();
        });
        document.body.append(dialog);
        dialog.showModal();
        buttons[0].focus();
      });
    }

    async function tellSandbox(info, outcome) {
      const response = await fetch(`${apiBase}/v1/sandbox/payments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          orderId: info.orderId,
          orderName: info.orderName,
          amount: state.amount,
          customerKey: String(customerKey),
          outcome,
        }),
      });
      const body = await response.json();
      if (!response.ok)
        throw widgetError(body.code || 'UNKNOWN', body.message || '결제 처리 중 오류가 발생했습니다.');
      return body;
    }

    function redirect(base, params) {
      const url = new URL(base);
      for (const [key, value] of Object.entries(params)) url.searchParams.set(key, String(value));
      location.assign(url.toString());
    }

    async function requestPayment(info) {
      if (state.busy) throw widgetError('INVALID_METHOD_TRANSACTION', '이미 결제가 진행 중입니다.');
      validate(info);
      state.busy = true;
      try {
        const outcome = await askShopper(info);
        const redirectMode = Boolean(info.successUrl && info.failUrl);
        if (outcome === 'approve') {
          const approved = await tellSandbox(info, 'approve');
          const result = {
            paymentType: 'NORMAL',
            orderId: approved.orderId,
            paymentKey: approved.paymentKey,
            amount: approved.amount,
          };
          if (redirectMode) return redirect(info.successUrl, result);
          return result;
        }
        const failure =
          outcome === 'reject'
            ? await tellSandbox(info, 'reject')
            : { code: 'PAY_PROCESS_CANCELED', message: '사용자에 의해 결제가 취소되었습니다.' };
        if (redirectMode)
          return redirect(info.failUrl, {
            code: failure.code,
            message: failure.message,
            orderId: info.orderId,
          });
        throw widgetError(outcome === 'cancel' ? 'USER_CANCEL' : failure.code, failure.message);
      } finally {
        state.busy = false;
      }
    }

    return { renderPaymentMethods, renderAgreement, requestPayment };
  }

  PaymentWidget.ANONYMOUS = '@@ANONYMOUS';
  PaymentWidget.version = 'sandbox-1';

  const style = document.createElement('style');
  style.textContent = `
    .tsbx-methods { border: 1px solid #d0d5dd; border-radius: 10px; padding: 12px 16px; }
    .tsbx-methods legend { font-weight: 700; padding: 0 4px; }
    .tsbx-option { display: block; margin: 6px 0; }
    .tsbx-amount { margin: 10px 0 0; font-weight: 700; }
    .tsbx-agreement { margin: 12px 0; }
    .tsbx-dialog { border: 0; background: #fff; color: #101828; border-radius: 14px; padding: 24px; width: min(92vw, 380px); box-shadow: 0 20px 40px rgba(0,0,0,.25); }
    .tsbx-dialog::backdrop { background: rgba(16, 24, 40, .55); }
    .tsbx-dialog h2 { word-break: keep-all; }
    .tsbx-total { font-size: 1.6rem; font-weight: 800; }
    .tsbx-note { color: #475467; font-size: .9rem; }
    .tsbx-actions { display: flex; gap: 8px; flex-wrap: wrap; margin-top: 16px; }
    .tsbx-actions button { padding: 8px 14px; border-radius: 8px; border: 1px solid #1b64da; background: #fff; color: #1b64da; cursor: pointer; }
    .tsbx-actions .tsbx-primary { background: #1b64da; color: #fff; }
    .tsbx-actions button:focus-visible { outline: 3px solid #101828; outline-offset: 2px; }
  `;
  document.head.append(style);
  window.PaymentWidget = PaymentWidget;
})();
