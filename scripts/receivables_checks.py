"""Accounting checks and counts of a generated receivables database, in SQL.

Run by scripts/generate.py after generating (nothing is committed unless every check finds
0 offending rows) and by tests/test_generator.py.
"""

from odoo.tools import SQL

SELF_TEST_QUERIES = {
    "unbalanced posted moves": """
        SELECT COUNT(*) FROM (
            SELECT move_id FROM account_move_line WHERE parent_state = 'posted'
            GROUP BY move_id HAVING ROUND(SUM(balance), 2) != 0
               OR ROUND(SUM(debit) - SUM(credit), 2) != 0) unbalanced""",
    "customers whose open residuals differ from their receivable balance": """
        SELECT COUNT(*) FROM (
            SELECT l.partner_id FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id
             WHERE a.account_type = 'asset_receivable' AND l.parent_state = 'posted'
             GROUP BY l.partner_id
            HAVING ROUND(SUM(l.balance), 2)
                != ROUND(SUM(l.amount_residual) FILTER (WHERE NOT l.reconciled), 2)) diff""",
    "receivable lines whose residual disagrees with their partial reconciles": """
        WITH matched AS (
            SELECT line_id, SUM(amount) AS amount FROM (
                SELECT debit_move_id AS line_id, amount FROM account_partial_reconcile
                 UNION ALL
                SELECT credit_move_id, -amount FROM account_partial_reconcile) p
             GROUP BY line_id)
        SELECT COUNT(*) FROM account_move_line l
          JOIN account_account a ON a.id = l.account_id
          LEFT JOIN matched m ON m.line_id = l.id
         WHERE a.account_type = 'asset_receivable' AND l.parent_state = 'posted'
           AND (ROUND(l.balance - COALESCE(m.amount, 0), 2) != l.amount_residual
                OR l.reconciled != (l.amount_residual_currency = 0))""",
    "invoices whose residual differs from their receivable lines": """
        WITH residual AS (
            SELECT l.move_id, SUM(l.amount_residual) AS amount FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id
             WHERE a.account_type = 'asset_receivable' GROUP BY l.move_id)
        SELECT COUNT(*) FROM account_move m JOIN residual r ON r.move_id = m.id
         WHERE m.move_type IN ('out_invoice', 'out_refund') AND m.state = 'posted'
           AND ABS(m.amount_residual_signed) != ABS(r.amount)""",
}


def self_test(env):
    """Run the accounting checks; return ``{check: number of offending rows}`` (all 0)."""
    env.flush_all()
    results = {}
    for label, query in SELF_TEST_QUERIES.items():
        env.cr.execute(SQL(query))
        results[label] = env.cr.fetchone()[0]
    return results


def totals(env):
    """What the database holds, for the report."""
    env.cr.execute(
        SQL(
            """SELECT
                (SELECT COUNT(*) FROM res_partner WHERE is_company),
                (SELECT COUNT(*) FROM account_move WHERE move_type = 'out_invoice'),
                (SELECT COUNT(*) FROM account_move WHERE move_type = 'out_refund'),
                (SELECT COUNT(*) FROM account_payment),
                (SELECT COUNT(*) FROM account_move_line l JOIN account_account a
                    ON a.id = l.account_id WHERE a.account_type = 'asset_receivable'),
                (SELECT COUNT(*) FROM sale_order)"""
        )
    )
    keys = ("companies", "invoices", "credit notes", "payments", "receivable lines", "orders")
    return dict(zip(keys, env.cr.fetchone(), strict=True))
