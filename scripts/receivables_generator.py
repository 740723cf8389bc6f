"""Fill a database with a company's receivables at benchmark scale.

Used by ``scripts/generate.py`` (``make bench``) and by ``tests/test_generator.py``; the addon
itself never imports it.

Why SQL: posting 100,000 invoices and their payments through the ORM takes hours on two
cores (every ``action_post`` and ``reconcile`` recomputes and checks one move at a time).
So the generator posts a handful of *reference* documents through the ORM (an invoice, a
credit note, a payment reconciled with an invoice and one left open, in each currency) and
then copies their rows with plain ``INSERT ... SELECT``: every column of ``account_move``,
``account_move_line``, ``account_payment`` comes from the reference row except the ones
that depend on the document (partner, dates, amounts, residuals, names, reconciliation),
which are computed in Python exactly as the ORM computes them. A test posts the same
documents through the ORM and compares both.

Simplifications, on purpose: one product line with the company's sale tax per invoice, one
invoice per payment, the foreign currency at one rate per year with an integer
company-per-foreign factor that stays the same over the years, so that no exchange
difference entry is ever needed; no chatter messages on the generated documents.
"""

import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from odoo import Command
from odoo.tools import SQL

# customers, invoices; large makes about 1,000,000 receivable lines (invoices + payments)
SIZES = {
    "tiny": (4, 30),
    "small": (200, 5_000),
    "medium": (2_000, 100_000),
    "large": (20_000, 450_000),
}
# lateness habit: (share of customers, days paid after the due date (min, max))
HABITS = {
    "on_time": (0.70, (-10, 5)),
    "late": (0.22, (15, 120)),
    "defaulter": (0.08, (30, 180)),
}
FOREIGN_SHARE = 0.15  # share of customers invoiced in the foreign currency
FOREIGN_FACTOR = {"USD": 7, "EUR": 2}  # company units for one foreign unit (CNY or USD company)
BATCH = 20_000


@dataclass
class Plan:
    """Rows to insert, per table, each row a dict of the columns that differ from its
    reference row (``ref_id``)."""

    moves: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    payments: list = field(default_factory=list)
    partials: list = field(default_factory=list)
    fulls: list = field(default_factory=list)
    tax_rels: list = field(default_factory=list)
    invoice_payment_rels: list = field(default_factory=list)


# ------------------------------------------------------------
# ENTRY POINT
# ------------------------------------------------------------


def generate(env, size="small", *, customers=None, invoices=None, seed=42, today=None, log=print):
    """Create customers, invoices, credit notes, payments and sale orders; return stats."""
    env = env(su=True)  # a data tool: it writes what no single user role would
    n_customers, n_invoices = SIZES[size]
    n_customers, n_invoices = customers or n_customers, invoices or n_invoices
    rnd = random.Random(seed)
    today = today or date.today()
    foreign = _setup_foreign_currency(env, today)
    log(f"customers: {n_customers} (with contacts)")
    partners = _create_customers(env, n_customers, foreign, rnd)
    refs = _post_references(env, partners[0], foreign, today)
    log(f"invoices: {n_invoices}, with credit notes and payments, in bulk SQL")
    gen = _Generator(env, refs, foreign, rnd, today)
    gen.plan(partners, n_invoices)
    log(f"planned {len(gen.plan_.moves)} entries, {len(gen.plan_.lines)} lines: inserting")
    gen.insert()
    env.invalidate_all()  # the ORM must read what SQL wrote
    _store_truth(env, partners, today)
    log("sale orders")
    orders = _create_sale_orders(env, partners, rnd)
    references = [
        doc.move_id.id if doc._name == "account.payment" else doc.id
        for docs in refs.values()
        for doc in docs.values()
    ]
    return {
        "customers": len(partners),
        "moves": len(gen.plan_.moves),
        "orders": orders,
        "reference_move_ids": references,
    }


# the known truth of the generated customers (habit, default date), for backtests
TRUTH_PARAM = "credit_collection.generator_truth"


def _store_truth(env, partners, today):
    """Keep what the generator decided for each customer, which the ledger only shows
    through its effects: ``{"today", "customers": {id: {"habit", "default_date"}}}`` as a
    JSON system parameter (scripts/backtest_warnings.py scores the early warnings on it)."""
    truth = {
        "today": today.isoformat(),
        "customers": {
            str(p["id"]): {
                "habit": p["habit"],
                "default_date": p["default_date"].isoformat() if p["default_date"] else None,
            }
            for p in partners
        },
    }
    env["ir.config_parameter"].set_param(TRUTH_PARAM, json.dumps(truth))


# ------------------------------------------------------------
# CURRENCY AND CUSTOMERS (ORM: few records)
# ------------------------------------------------------------


def _setup_foreign_currency(env, today):
    """USD beside the company currency (EUR when the company is in USD), a rate a year.

    The factor is an integer so that every foreign amount converts to the company currency
    without rounding: then invoice, credit note and payment balances always add up and
    the ORM would not book an exchange difference either.
    """
    company = env.company
    code = "EUR" if company.currency_id.name == "USD" else "USD"
    currency = env["res.currency"].with_context(active_test=False).search([("name", "=", code)])
    currency.active = True
    factor = FOREIGN_FACTOR[code]
    days = [date(year, 1, 1) for year in range(today.year - 4, today.year + 1)]
    rates = env["res.currency.rate"].search(
        [("currency_id", "=", currency.id), ("company_id", "=", company.id)]
    )
    rates.filtered(lambda r: r.name >= days[0]).unlink()
    rates.create(
        [
            {"currency_id": currency.id, "company_id": company.id, "name": day, "rate": 1 / factor}
            for day in days
        ]
    )
    return currency


def _create_customers(env, count, foreign, rnd):
    """Companies with one or two contacts each, and a lateness habit (kept in memory)."""
    Partner = env["res.partner"].with_context(tracking_disable=True, mail_create_nolog=True)
    names = [
        "Jade",
        "Harbor",
        "Summit",
        "Pearl",
        "Lotus",
        "Crane",
        "Granite",
        "Silk",
        "Orchid",
        "Maple",
    ]
    kinds = ["Trading", "Logistics", "Electronics", "Textiles", "Foods", "Machinery"]
    vals = [
        {
            "name": f"{rnd.choice(names)} {rnd.choice(kinds)} {i:05d} Co., Ltd.",
            "is_company": True,
            "ref": f"GEN{i:05d}",
            "email": f"ar{i:05d}@customer.example.com",
            # what posting their first invoice through the ORM does (_increase_rank): the
            # bulk copies bypass it, and crons select customers by rank
            "customer_rank": 1,
        }
        for i in range(1, count + 1)
    ]
    companies = Partner.create(vals)
    Partner.create(
        [
            {"name": f"Accounts Payable {c.ref}", "parent_id": c.id, "type": "invoice"}
            for c in companies
        ]
        + [{"name": f"Buyer {c.ref}", "parent_id": c.id} for c in companies if rnd.random() < 0.5]
    )
    habits = list(HABITS)
    weights = [HABITS[h][0] for h in habits]
    return [
        {
            "id": c.id,
            "name": c.name,
            "habit": rnd.choices(habits, weights)[0],
            "currency": foreign if rnd.random() < FOREIGN_SHARE else env.company.currency_id,
            "default_date": None,
        }
        for c in companies
    ]


# ------------------------------------------------------------
# REFERENCE DOCUMENTS (ORM: the rows every generated one copies)
# ------------------------------------------------------------


def _post_references(env, customer, foreign, today):
    """Post, through the ORM, one document of each kind per currency.

    Returns ``{currency_id: {"invoice": move, "refund": move, "payment": payment,
    "advance": payment}}``; the generated documents copy their rows.
    """
    partner = env["res.partner"].browse(customer["id"])
    product = _generator_product(env)
    refs = {}
    for currency in (env.company.currency_id, foreign):
        invoice = _orm_invoice(partner, currency, today, 1000.0, product=product)
        refund = _orm_invoice(
            partner, currency, today, 100.0, product=product, reversed_entry=invoice
        )
        _receivable(invoice | refund).reconcile()
        payment = _orm_register_payment(invoice, today, invoice.amount_residual)
        advance = env["account.payment"].create(
            {
                "partner_id": partner.id,
                "partner_type": "customer",
                "payment_type": "inbound",
                "amount": 500.0,
                "currency_id": currency.id,
                "date": today,
                "memo": "Advance payment",
            }
        )
        advance.action_post()
        refs[currency.id] = {
            "invoice": invoice,
            "refund": refund,
            "payment": payment,
            "advance": advance,
        }
    return refs


def _generator_product(env):
    product = env["product.product"].search([("default_code", "=", "GEN-SERVICE")], limit=1)
    return product or env["product.product"].create(
        {
            "name": "Consulting Services",
            "default_code": "GEN-SERVICE",
            "type": "service",
            "invoice_policy": "order",
            "list_price": 1000.0,
            "taxes_id": [Command.set(_sale_tax(env).ids)],
        }
    )


def _sale_tax(env):
    return env["account.tax"].search(
        [
            ("company_id", "=", env.company.id),
            ("type_tax_use", "=", "sale"),
            ("amount_type", "=", "percent"),
            ("amount", ">", 0),
        ],
        limit=1,
    )


def _orm_invoice(partner, currency, day, price, *, product, reversed_entry=None, due=None):
    """An invoice (or the credit note of ``reversed_entry``) posted through the ORM."""
    env = partner.env
    move = env["account.move"].create(
        {
            "move_type": "out_refund" if reversed_entry else "out_invoice",
            "partner_id": partner.id,
            "currency_id": currency.id,
            "invoice_date": day,
            "invoice_date_due": due or day + timedelta(days=30),
            "reversed_entry_id": reversed_entry.id if reversed_entry else False,
            "invoice_line_ids": [
                Command.create(
                    {
                        "product_id": product.id,
                        "quantity": 1,
                        "price_unit": price,
                        "tax_ids": [Command.set(_sale_tax(env).ids)],
                    }
                )
            ],
        }
    )
    move.action_post()
    return move


def _orm_register_payment(invoice, day, amount):
    wizard = (
        invoice.env["account.payment.register"]
        .with_context(active_model="account.move", active_ids=invoice.ids)
        .create({"amount": amount, "payment_date": day})
    )
    return wizard._create_payments()


def _receivable(moves):
    return moves.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")


# ------------------------------------------------------------
# SALE ORDERS (ORM: few hundred, they need the sale flow)
# ------------------------------------------------------------


def _create_sale_orders(env, partners, rnd, limit=300):
    """Quotations, confirmed orders to invoice and invoiced orders, through the ORM."""
    product = _generator_product(env)
    chosen = rnd.sample(partners, min(limit, len(partners)))
    SaleOrder = env["sale.order"].with_context(tracking_disable=True, mail_notrack=True)
    orders = SaleOrder.create(
        [
            {
                "partner_id": p["id"],
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": rnd.randint(1, 20),
                            "price_unit": rnd.randint(200, 5000),
                        }
                    )
                ],
            }
            for p in chosen
            if p["currency"] == env.company.currency_id
        ]
    )
    to_confirm = orders.filtered(lambda o: rnd.random() < 0.7)
    to_confirm.action_confirm()
    invoiced = to_confirm.filtered(lambda o: rnd.random() < 0.3)
    if invoiced:
        invoiced._create_invoices().action_post()
    return len(orders)


# ------------------------------------------------------------
# BULK DOCUMENTS (planned in Python, inserted in SQL)
# ------------------------------------------------------------


class _Generator:
    """Plans every generated row in Python, then inserts them table by table."""

    def __init__(self, env, refs, foreign, rnd, today):
        self.env, self.refs, self.foreign, self.rnd, self.today = env, refs, foreign, rnd, today
        self.company_currency = env.company.currency_id
        self.tax_percent = _sale_tax(env).amount
        self.factor = {self.company_currency.id: 1, foreign.id: FOREIGN_FACTOR[foreign.name]}
        self.plan_ = Plan()
        self.ids = {}
        self.numbers = {}
        self.ref_rows = {cur: self._read_reference(docs) for cur, docs in refs.items()}

    # -- reference rows -------------------------------------------------

    def _read_reference(self, docs):
        """The reference documents and their lines by role (product, tax, receivable...)."""

        def roles(move):
            return {
                (line.display_type, line.account_id.account_type): line for line in move.line_ids
            }

        def payment_roles(payment):
            return {
                "receivable"
                if line.account_id.account_type == "asset_receivable"
                else "liquidity": line
                for line in payment.move_id.line_ids
            }

        pay, adv = docs["payment"], docs["advance"]
        pay_lines, adv_lines = payment_roles(pay), payment_roles(adv)
        return {
            "invoice": docs["invoice"],
            "refund": docs["refund"],
            "invoice_lines": roles(docs["invoice"]),
            "refund_lines": roles(docs["refund"]),
            "payment": pay,
            "advance": adv,
            "payment_lines": pay_lines,
            "advance_lines": adv_lines,
            "partial": pay_lines["receivable"].matched_debit_ids[:1].id,
            "full": pay_lines["receivable"].full_reconcile_id.id,
        }

    # -- planning -------------------------------------------------------

    def plan(self, partners, n_invoices):
        rnd, start = self.rnd, self.today - timedelta(days=3 * 365)
        span = (self.today - start).days
        for partner in partners:
            if partner["habit"] == "defaulter":
                partner["default_date"] = self.today - timedelta(days=rnd.randint(60, 365))
        docs = []
        for _i in range(n_invoices):
            partner = rnd.choice(partners)
            day = start + timedelta(days=rnd.randint(0, span))
            docs.append((day, partner))
        docs.sort(key=lambda d: (d[0], d[1]["id"]))
        for day, partner in docs:
            self._plan_invoice(partner, day)
        for _i in range(max(1, n_invoices // 100)):
            partner = rnd.choice(partners)
            self._plan_advance(partner, self.today - timedelta(days=rnd.randint(0, 180)))

    def _plan_invoice(self, partner, day):
        rnd, cur = self.rnd, partner["currency"]
        factor = self.factor[cur.id]
        untaxed = max(10.0, self._amount(rnd.lognormvariate(7.8, 1.0) / factor, factor))
        due = day + timedelta(days=rnd.choice((30, 30, 45, 60)))
        invoice = self._plan_move("invoice", partner, day, due, untaxed)
        if rnd.random() < 0.03 and day + timedelta(days=20) <= self.today:
            refund_untaxed = self._amount(untaxed * rnd.uniform(0.1, 0.3), factor)
            refund_day = day + timedelta(days=rnd.randint(5, 20))
            refund = self._plan_move(
                "refund", partner, refund_day, refund_day + timedelta(days=30), refund_untaxed
            )
            self._reconcile(invoice, refund["_receivable"], refund)
            # a credit note is at most 30% of its invoice: always fully used
            refund.update(
                reversed_entry_id=invoice["id"],
                payment_state="paid",
                amount_residual=0.0,
                amount_residual_signed=0.0,
            )
        for pay_day, amount in self._payment_schedule(partner, due, invoice):
            payment = self._plan_payment(partner, pay_day, amount, cur, invoice)
            self._reconcile(invoice, payment["_receivable"], payment)
        self._close_group(invoice)

    @staticmethod
    def _amount(value, factor):
        """Foreign amounts are whole units: their tax then has no rounding in either
        currency, and payments at the same rate settle them without exchange difference."""
        return round(value, 2) if factor == 1 else float(max(1, round(value)))

    def _payment_schedule(self, partner, due, invoice):
        """(date, amount) of the payments of an invoice, from the customer's habit."""
        rnd, low_high = self.rnd, HABITS[partner["habit"]][1]
        pay_day = due + timedelta(days=rnd.randint(*low_high))
        if partner["default_date"] and pay_day >= partner["default_date"]:
            return []
        residual = invoice["_receivable"]["amount_residual_currency"]
        if rnd.random() < 0.12:
            first = round(residual * rnd.uniform(0.3, 0.7), 2)
            early = max(invoice["date"], pay_day - timedelta(days=rnd.randint(10, 40)))
            schedule = [(early, first), (pay_day, round(residual - first, 2))]
        else:
            schedule = [(pay_day, residual)]
        return [(d, a) for d, a in schedule if d <= self.today]

    def _plan_move(self, kind, partner, day, due, untaxed):
        """An invoice or credit note with its product, tax and receivable lines."""
        cur_id = partner["currency"].id
        ref = self.ref_rows[cur_id]
        factor, sign = self.factor[cur_id], (1 if kind == "invoice" else -1)
        # as Odoo: the tax of each currency from the base in that currency
        tax = round(partner["currency"].round(untaxed * self.tax_percent / 100.0), 2)
        tax_balance = self.company_currency.round(untaxed * factor * self.tax_percent / 100.0)
        total = round(untaxed + tax, 2)
        total_balance = round(untaxed * factor + tax_balance, 2)
        ref_move = ref[kind]
        name, prefix, number = self._next_name(ref_move.journal_id, ref_move, day)
        move_id = self._new_id("account_move")
        move = {
            "ref_id": ref_move.id,
            "id": move_id,
            "name": name,
            "sequence_prefix": prefix,
            "sequence_number": number,
            "partner_id": partner["id"],
            "commercial_partner_id": partner["id"],
            "partner_shipping_id": partner["id"],
            "invoice_partner_display_name": partner["name"],
            "payment_reference": name if kind == "invoice" else None,
            "date": day,
            "invoice_date": day,
            "invoice_date_due": due,
            "amount_untaxed": untaxed,
            "amount_tax": tax,
            "amount_total": total,
            "amount_untaxed_signed": round(sign * untaxed * factor, 2),
            "amount_untaxed_in_currency_signed": sign * untaxed,
            "amount_tax_signed": sign * tax_balance,
            "amount_total_signed": sign * total_balance,
            "amount_total_in_currency_signed": sign * total,
            "currency_id": cur_id,
            "amount_residual": total,
            "amount_residual_signed": sign * total_balance,
            "payment_state": "not_paid",
            "is_manually_modified": False,  # reconciling writes on the move and sets it
            "reversed_entry_id": None,
        }
        roles = ref[f"{kind}_lines"]
        amounts = {
            "product": (-untaxed * factor, -untaxed),
            "tax": (-tax_balance, -tax),
            "payment_term": (total_balance, total),
        }
        for (display_type, _acc), ref_line in roles.items():
            balance, amount = amounts[display_type]
            line = self._plan_line(ref_line, move, sign * balance, sign * amount)
            if display_type == "product":
                line.update(price_unit=untaxed, price_subtotal=untaxed, price_total=total)
                self.plan_.tax_rels.append((line["id"], ref_line.tax_ids.ids))
            elif display_type == "tax":
                line["tax_base_amount"] = -sign * untaxed * factor
            else:
                line.update(date_maturity=due)
                move["_receivable"] = line
            line["name"] = (ref_line.name or "").replace(ref_move.name, name) or None
        move["_payments"], move["_partials"], move["_lines"] = [], [], [move["_receivable"]]
        self.plan_.moves.append(move)
        return move

    def _plan_line(self, ref_line, move, balance, amount_currency):
        balance, amount_currency = round(balance, 2), round(amount_currency, 2)
        reconcilable = ref_line.account_id.reconcile
        line = {
            "ref_id": ref_line.id,
            "id": self._new_id("account_move_line"),
            "move_id": move["id"],
            "partner_id": move["partner_id"],
            "move_name": move["name"],
            "date": move["date"],
            "invoice_date": move.get("invoice_date"),
            "debit": max(balance, 0.0),
            "credit": max(-balance, 0.0),
            "balance": balance,
            "amount_currency": amount_currency,
            "amount_residual": balance if reconcilable else 0.0,
            "amount_residual_currency": amount_currency if reconcilable else 0.0,
            "reconciled": False,
            "full_reconcile_id": None,
            "matching_number": None,
        }
        self.plan_.lines.append(line)
        return line

    def _plan_payment(self, partner, day, amount, currency, invoice=None):
        """A customer payment and its journal entry (liquidity and receivable lines)."""
        ref = self.ref_rows[currency.id]
        ref_pay = ref["payment" if invoice else "advance"]
        ref_lines = ref["payment_lines" if invoice else "advance_lines"]
        factor = self.factor[currency.id]
        name, prefix, number = self._next_name(ref_pay.journal_id, ref_pay.move_id, day)
        move_id, pay_id = self._new_id("account_move"), self._new_id("account_payment")
        memo = invoice["name"] if invoice else ref_pay.memo
        move = {
            "ref_id": ref_pay.move_id.id,
            "id": move_id,
            "name": name,
            "sequence_prefix": prefix,
            "sequence_number": number,
            "origin_payment_id": pay_id,
            "partner_id": partner["id"],
            "commercial_partner_id": partner["id"],
            "invoice_partner_display_name": partner["name"],
            "ref": memo,
            "date": day,
            "amount_total": amount,
            "amount_total_signed": round(amount * factor, 2),
            "amount_total_in_currency_signed": amount,
        }
        self.plan_.moves.append(move)
        lines = {}
        for role, ref_line in ref_lines.items():
            sign = 1 if role == "liquidity" else -1
            line = self._plan_line(ref_line, move, sign * amount * factor, sign * amount)
            line.update(payment_id=pay_id, ref=memo, date_maturity=day)
            line.update(price_subtotal=sign * amount, price_total=sign * amount)
            line["name"] = (ref_line.name or "").replace(ref_pay.memo, memo) or None
            lines[role] = line
        payment = {
            "ref_id": ref_pay.id,
            "id": pay_id,
            "move_id": move_id,
            "partner_id": partner["id"],
            "name": name,
            "memo": memo,
            "date": day,
            "amount": amount,
            "amount_company_currency_signed": round(amount * factor, 2),
            "is_reconciled": bool(invoice),
            "state": "in_process",
            "_receivable": lines["receivable"],
        }
        self.plan_.payments.append(payment)
        if invoice:
            invoice["_payments"].append(payment)
            self.plan_.invoice_payment_rels.append((invoice["id"], pay_id))
        return payment

    def _plan_advance(self, partner, day):
        cur = partner["currency"]
        amount = round(self.rnd.randint(5, 200) * 100 / self.factor[cur.id], 2)
        self._plan_payment(partner, day, amount, cur)

    # -- reconciliation -------------------------------------------------

    def _reconcile(self, invoice, credit_line, counterpart):
        """A partial reconcile of the invoice's receivable line with a credit line."""
        debit_line = invoice["_receivable"]
        amount_cur = round(
            min(debit_line["amount_residual_currency"], -credit_line["amount_residual_currency"]), 2
        )
        amount = round(min(debit_line["amount_residual"], -credit_line["amount_residual"]), 2)
        partial = {
            "ref_id": self.ref_rows[invoice["currency_id"]]["partial"],
            "id": self._new_id("account_partial_reconcile"),
            "debit_move_id": debit_line["id"],
            "credit_move_id": credit_line["id"],
            "amount": amount,
            "debit_amount_currency": amount_cur,
            "credit_amount_currency": amount_cur,
            "debit_currency_id": invoice["currency_id"],
            "credit_currency_id": invoice["currency_id"],
            "max_date": max(invoice["date"], counterpart["date"]),
            "full_reconcile_id": None,
        }
        for line, sign in ((debit_line, -1), (credit_line, 1)):
            line["amount_residual"] = round(line["amount_residual"] + sign * amount, 2)
            line["amount_residual_currency"] = round(
                line["amount_residual_currency"] + sign * amount_cur, 2
            )
            line["reconciled"] = line["amount_residual_currency"] == 0
        self.plan_.partials.append(partial)
        invoice["_partials"].append(partial)
        invoice["is_manually_modified"] = True
        if "is_manually_modified" in counterpart:
            counterpart["is_manually_modified"] = True
        invoice["_lines"].append(credit_line)

    def _close_group(self, invoice):
        """Residuals, matching numbers, full reconcile and states, as the ORM leaves them."""
        receivable, partials = invoice["_receivable"], invoice["_partials"]
        invoice["amount_residual"] = receivable["amount_residual_currency"]
        invoice["amount_residual_signed"] = receivable["amount_residual"]
        if not partials:
            invoice["payment_state"] = "not_paid"
            return
        full_id = None
        if receivable["reconciled"]:
            full_id = self._new_id("account_full_reconcile")
            ref_full = self.ref_rows[invoice["currency_id"]]["full"]
            self.plan_.fulls.append({"ref_id": ref_full, "id": full_id})
            for partial in partials:
                partial["full_reconcile_id"] = full_id
            invoice["payment_state"] = "paid"
        else:
            invoice["payment_state"] = "partial"
        number = str(full_id) if full_id else f"P{min(p['id'] for p in partials)}"
        for line in invoice["_lines"]:
            line.update(full_reconcile_id=full_id, matching_number=number)
        for payment in invoice["_payments"]:
            payment["state"] = "paid" if full_id else "in_process"

    # -- ids and names --------------------------------------------------

    def _new_id(self, table):
        """Ids are handed out in Python and the table's sequence moved past them at insert."""
        if table not in self.ids:
            self.env.cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM %s", SQL.identifier(table)))
            self.ids[table] = [self.env.cr.fetchone()[0], 0]
        self.ids[table][0] += 1
        self.ids[table][1] += 1
        return self.ids[table][0]

    def _next_name(self, journal, ref_move, day):
        """Next name in the journal's yearly sequence, in the reference's format."""
        ref_year = str(ref_move.date.year)
        prefix = ref_move.sequence_prefix.replace(ref_year, str(day.year))
        width = len(ref_move.name) - len(ref_move.sequence_prefix)
        key = (journal.id, prefix)
        if key not in self.numbers:
            self.env.cr.execute(
                SQL(
                    "SELECT COALESCE(MAX(sequence_number), 0) FROM account_move"
                    " WHERE journal_id = %s AND sequence_prefix = %s",
                    journal.id,
                    prefix,
                )
            )
            self.numbers[key] = self.env.cr.fetchone()[0]
        self.numbers[key] += 1
        number = self.numbers[key]
        return f"{prefix}{number:0{width}d}", prefix, number

    # -- insertion ------------------------------------------------------

    def insert(self):
        """Insert the planned rows, parents first, then move the id sequences on.

        Foreign keys are checked once per column at the end instead of row by row (a move
        line has twenty of them): the row-level checks more than double the insertion
        time. Needs a PostgreSQL superuser; others get the row-level checks.
        """
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(SQL("SELECT current_setting('is_superuser') = 'on'"))
        bulk = cr.fetchone()[0]
        if bulk:
            cr.execute(SQL("SET LOCAL session_replication_role = replica"))
        try:
            self._insert_rows()
        finally:
            if bulk:
                cr.execute(SQL("SET LOCAL session_replication_role = origin"))
        self._after_insert()
        for table, (last_id, count) in self.ids.items():
            _check_foreign_keys(self.env, table, last_id - count)

    def _insert_rows(self):
        plan = self.plan_
        _copy_rows(self.env, "account_full_reconcile", plan.fulls)
        # a payment and its entry point at each other: the entry first, linked afterwards
        origins = [
            (m.pop("origin_payment_id"), m["id"]) for m in plan.moves if "origin_payment_id" in m
        ]
        _copy_rows(self.env, "account_move", plan.moves)
        _copy_rows(self.env, "account_payment", plan.payments)
        self.env.cr.execute(
            SQL(
                """UPDATE account_move m SET origin_payment_id = x.payment_id
                     FROM unnest(%s::int[], %s::int[]) AS x(payment_id, move_id)
                    WHERE m.id = x.move_id""",
                [p for p, _m in origins],
                [m for _p, m in origins],
            )
        )
        _copy_rows(self.env, "account_move_line", plan.lines)
        _copy_rows(self.env, "account_partial_reconcile", plan.partials)
        _insert_pairs(
            self.env,
            "account_move_line_account_tax_rel",
            ("account_move_line_id", "account_tax_id"),
            [(line, tax) for line, taxes in plan.tax_rels for tax in taxes],
        )
        _insert_pairs(
            self.env,
            "account_move__account_payment",
            ("invoice_id", "payment_id"),
            plan.invoice_payment_rels,
        )

    def _after_insert(self):
        # fresh statistics, or the planner of every following query guesses empty tables
        for table in self.ids:
            self.env.cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
        # numbers the ORM handed out in this transaction are cached: ours came after them
        self.env["account.move"]._get_sequence_cache().clear()
        for table in self.ids:
            self.env.cr.execute(
                SQL(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM %s))",
                    table,
                    SQL.identifier(table),
                )
            )


def _check_foreign_keys(env, table, after_id):
    """Raise if a row inserted after ``after_id`` points to a row that does not exist."""
    env.cr.execute(
        SQL(
            """SELECT a.attname, c.confrelid::regclass::text, fa.attname
                 FROM pg_constraint c
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
                 JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
                WHERE c.conrelid = %s::regclass AND c.contype = 'f'""",
            table,
        )
    )
    for column, target, target_column in env.cr.fetchall():
        env.cr.execute(
            SQL(
                """SELECT COUNT(*) FROM %s t WHERE t.id > %s AND t.%s IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM %s r WHERE r.%s = t.%s)""",
                SQL.identifier(table),
                after_id,
                SQL.identifier(column),
                SQL.identifier(target),
                SQL.identifier(target_column),
                SQL.identifier(column),
            )
        )
        if dangling := env.cr.fetchone()[0]:
            raise ValueError(f"{dangling} rows of {table}.{column} point nowhere in {target}")


def _table_columns(env, table):
    env.cr.execute(
        SQL(
            """SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute
                WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped""",
            table,
        )
    )
    return dict(env.cr.fetchall())


def _copy_rows(env, table, rows):
    """INSERT ... SELECT: the columns given in each row, every other one from its reference.

    Rows are sent as JSON (``jsonb_to_recordset``) in batches; rows that set different
    columns (a tax line, a receivable line) go in separate statements.
    """
    columns = _table_columns(env, table)
    groups = {}
    for row in rows:
        keys = tuple(k for k in row if not k.startswith("_") and k != "ref_id")
        groups.setdefault(keys, []).append(row)
    for keys, group in groups.items():
        record_def = SQL(", ").join(
            [SQL("%s %s", SQL.identifier(k), SQL(columns[k])) for k in keys]  # catalog types
            + [SQL("ref_id integer")]
        )
        values = SQL(", ").join(SQL.identifier("x" if c in keys else "ref", c) for c in columns)
        for start in range(0, len(group), BATCH):
            payload = [
                {k: row[k] for k in (*keys, "ref_id")} for row in group[start : start + BATCH]
            ]
            env.cr.execute(
                SQL(
                    """INSERT INTO %s (%s) SELECT %s
                         FROM jsonb_to_recordset(%s::jsonb) AS x(%s)
                         JOIN %s ref ON ref.id = x.ref_id""",
                    SQL.identifier(table),
                    SQL(", ").join(SQL.identifier(c) for c in columns),
                    values,
                    json.dumps(payload, default=str),
                    record_def,
                    SQL.identifier(table),
                )
            )


def _insert_pairs(env, table, columns, pairs):
    for start in range(0, len(pairs), BATCH):
        chunk = pairs[start : start + BATCH]
        env.cr.execute(
            SQL(
                "INSERT INTO %s (%s, %s) SELECT * FROM unnest(%s::int[], %s::int[])",
                SQL.identifier(table),
                SQL.identifier(columns[0]),
                SQL.identifier(columns[1]),
                [a for a, _b in chunk],
                [b for _a, b in chunk],
            )
        )
