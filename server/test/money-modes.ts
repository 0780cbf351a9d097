import { useGroupCommit } from '../building-blocks/ledger/group-commit';
import {
  BALANCE_STRATEGY_NAMES,
  type BalanceStrategyName,
  useBalanceStrategy,
} from '../building-blocks/ledger/strategies';

/**
 * The ways this process can move money: each balance strategy, and the atomic one with group commit on
 * (the default) and off. Suites about money exactness run under each (`describe.each(MONEY_MODES)`).
 */
export interface MoneyMode {
  name: string;
  strategy: BalanceStrategyName;
  groupCommit: boolean;
}

export const GROUP_COMMIT_MODES: MoneyMode[] = [
  { name: 'atomic, group commit on', strategy: 'atomic', groupCommit: true },
  { name: 'atomic, group commit off', strategy: 'atomic', groupCommit: false },
];

export const MONEY_MODES: MoneyMode[] = [
  ...GROUP_COMMIT_MODES,
  ...BALANCE_STRATEGY_NAMES.filter((s) => s !== 'atomic').map((strategy) => ({
    name: strategy,
    strategy,
    groupCommit: true,
  })),
];

/** Makes this process move money as `mode` says, from the next change on. */
export function useMoneyMode(mode: MoneyMode): void {
  useBalanceStrategy(mode.strategy);
  useGroupCommit({ enabled: mode.groupCommit });
}

/** The environment an app process needs to move money as `mode` says. */
export function moneyModeEnv(mode: MoneyMode): Record<string, string> {
  return { BALANCE_STRATEGY: mode.strategy, GROUP_COMMIT: mode.groupCommit ? 'on' : 'off' };
}
