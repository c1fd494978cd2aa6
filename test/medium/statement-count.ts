import type { DataSource } from 'typeorm';

export interface StatementCount {
  statements: number;
  transactions: number;
}

/**
 * Counts what a DataSource sends to PostgreSQL while `work` runs (every statement, BEGIN and COMMIT included,
 * goes through its logger): how a batch path is shown to cost a constant number of statements.
 */
export function statementCounter(dataSource: DataSource): (work: () => Promise<unknown>) => Promise<StatementCount> {
  let statements: string[] | null = null;
  const logger = dataSource.logger;
  const logQuery = logger.logQuery.bind(logger);
  logger.logQuery = (query, parameters, runner) => {
    statements?.push(query);
    return logQuery(query, parameters, runner);
  };
  return async (work) => {
    statements = [];
    try {
      await work();
      return { statements: statements.length, transactions: statements.filter((s) => s === 'START TRANSACTION').length };
    } finally {
      statements = null;
    }
  };
}
