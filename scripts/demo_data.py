"""Demo business for Credit & Collections, run by scripts/demo.sh through `odoo-bin shell`.

It turns a fresh database (account, sale, mail and credit_collection installed) into a
trading company whose receivables look lived-in, so that every credit and collection
screen has something to show on the first click:

* 上海华信贸易有限公司 (Shanghai Huaxin Trading Co., Ltd.), in CNY, and its US sister
  company Huaxin Trading (USA) Inc., in USD, each with Odoo's generic chart of accounts;
* 40 customers (companies with one or two contacts, Chinese and international, in
  zh_CN or en_US), each with a payment behaviour profile: punctual, slightly late,
  chronically late, defaulter or new customer;
* about 14 months of posted invoices with 0/30/60-day payment terms, paid in full or in
  part on dates that follow each profile, so that open items range from not yet due to
  more than 180 days overdue; two credit notes reconciled with their invoices;
* confirmed and draft sale orders, one customer on credit hold;
* one user per role: sales/sales, billing/billing, collector/collector, manager/manager.

Everything is drawn from a seeded random generator relative to today's date, so two runs
on the same day give the same business. The script commits once at the end.
"""

import random
import time
from datetime import timedelta

from odoo import Command, fields

# `env` is provided by `odoo-bin shell`. No chatter tracking of the bulk creations: it would
# double the run time and tell nothing (the credit hold, set at the end, is tracked).
SHELL_ENV = env  # noqa: F821
ENV = SHELL_ENV(
    context=dict(
        SHELL_ENV.context, tracking_disable=True, mail_create_nolog=True, mail_notrack=True
    )
)
RNG = random.Random(20260101)
TODAY = fields.Date.context_today(ENV["res.partner"])
HISTORY_DAYS = 425  # about 14 months of invoices
USD_PER_CNY = 0.1389

PROFILES = {
    # profile: (invoice count range, payment terms to pick from)
    "punctual": ((10, 14), ("30", "30", "immediate")),
    "slightly_late": ((10, 14), ("30", "60")),
    "chronically_late": ((8, 12), ("30", "60", "60")),
    "defaulter": ((8, 10), ("30", "60")),
    "new": ((2, 4), ("30", "immediate")),
}

# name, email domain, country code, language, profile, company ("main" or "usd")
CUSTOMERS = [
    ("北京星辰科技有限公司", "xingchen-tech.cn", "CN", "zh_CN", "punctual", "main"),
    ("深圳宏达电子有限公司", "hongda-elec.cn", "CN", "zh_CN", "slightly_late", "main"),
    ("广州南方纺织品有限公司", "nanfang-textile.cn", "CN", "zh_CN", "chronically_late", "main"),
    ("杭州云帆网络科技有限公司", "yunfan.cn", "CN", "zh_CN", "punctual", "main"),
    ("苏州精工机械制造有限公司", "jinggong-mach.cn", "CN", "zh_CN", "defaulter", "main"),
    ("成都天府食品有限公司", "tianfu-food.cn", "CN", "zh_CN", "slightly_late", "main"),
    ("武汉长江物流有限公司", "changjiang-log.cn", "CN", "zh_CN", "punctual", "main"),
    ("南京金陵建材有限公司", "jinling-bm.cn", "CN", "zh_CN", "chronically_late", "main"),
    ("天津渤海化工有限公司", "bohai-chem.cn", "CN", "zh_CN", "slightly_late", "main"),
    ("重庆山城汽配有限公司", "shancheng-auto.cn", "CN", "zh_CN", "new", "main"),
    ("青岛海洋渔业有限公司", "haiyang-fish.cn", "CN", "zh_CN", "punctual", "main"),
    ("厦门鹭岛进出口有限公司", "ludao-trade.cn", "CN", "zh_CN", "chronically_late", "main"),
    ("宁波港联贸易有限公司", "ganglian.cn", "CN", "zh_CN", "slightly_late", "main"),
    ("西安古城文化传媒有限公司", "gucheng-media.cn", "CN", "zh_CN", "defaulter", "main"),
    ("大连北方船舶配件有限公司", "beifang-marine.cn", "CN", "zh_CN", "punctual", "main"),
    ("无锡太湖环保设备有限公司", "taihu-env.cn", "CN", "zh_CN", "new", "main"),
    ("东莞创新塑胶制品有限公司", "chuangxin-plastic.cn", "CN", "zh_CN", "chronically_late", "main"),
    ("佛山顺德家电有限公司", "shunde-appliance.cn", "CN", "zh_CN", "slightly_late", "main"),
    ("合肥科大仪器有限公司", "keda-instr.cn", "CN", "zh_CN", "punctual", "main"),
    ("长沙湘江医药有限公司", "xiangjiang-pharma.cn", "CN", "zh_CN", "slightly_late", "main"),
    ("郑州中原粮油有限公司", "zhongyuan-grain.cn", "CN", "zh_CN", "new", "main"),
    ("昆明彩云花卉有限公司", "caiyun-flower.cn", "CN", "zh_CN", "chronically_late", "main"),
    ("Pacific Rim Imports Pty Ltd", "pacificrim.com.au", "AU", "en_US", "punctual", "main"),
    ("Nordic Supply AB", "nordicsupply.se", "SE", "en_US", "punctual", "main"),
    ("Müller Industrietechnik GmbH", "mueller-it.de", "DE", "en_US", "slightly_late", "main"),
    ("Tokyo Precision Parts K.K.", "tokyo-precision.jp", "JP", "en_US", "punctual", "main"),
    ("Seoul Smart Devices Co., Ltd.", "seoulsmart.kr", "KR", "en_US", "chronically_late", "main"),
    ("Singapore Harbour Logistics Pte Ltd", "sghl.com.sg", "SG", "en_US", "slightly_late", "main"),
    ("Maple Leaf Distributors Inc.", "mapleleaf-dist.ca", "CA", "en_US", "new", "main"),
    ("Lyon Textiles SARL", "lyon-textiles.fr", "FR", "en_US", "defaulter", "main"),
    ("Milano Design S.r.l.", "milanodesign.it", "IT", "en_US", "slightly_late", "main"),
    ("Bangkok Food Traders Co., Ltd.", "bkkfood.co.th", "TH", "en_US", "chronically_late", "main"),
    ("Hong Kong Pearl Trading Ltd", "hkpearl.com.hk", "HK", "en_US", "punctual", "main"),
    ("Dubai Gulf Commerce LLC", "gulfcommerce.ae", "AE", "en_US", "slightly_late", "main"),
    ("Rotterdam Freight B.V.", "rotterdamfreight.nl", "NL", "en_US", "new", "main"),
    ("Manila Electronics Corp.", "manila-elec.ph", "PH", "en_US", "punctual", "main"),
    ("Golden Gate Gadgets LLC", "gggadgets.com", "US", "en_US", "punctual", "usd"),
    ("Lone Star Machinery Inc.", "lonestar-mach.com", "US", "en_US", "chronically_late", "usd"),
    ("Hudson Bay Retail Corp.", "hudsonbayretail.com", "US", "en_US", "defaulter", "usd"),
    ("Comercial Norte S.A. de C.V.", "comercialnorte.mx", "MX", "en_US", "new", "usd"),
]

CHINESE_CONTACTS = ["王伟", "李娜", "张敏", "刘洋", "陈静", "杨帆", "赵磊", "黄丽", "周强", "吴婷"]
ENGLISH_CONTACTS = [
    "Emma Wilson",
    "Lucas Schmidt",
    "Sophie Martin",
    "Kenji Sato",
    "Min-jun Kim",
    "Olivia Brown",
    "Marco Rossi",
    "Aisha Rahman",
    "Daniel Lee",
    "Grace Tan",
]
CONTACT_ROLES = {
    "zh_CN": [("财务经理", "finance"), ("采购经理", "purchasing")],
    "en_US": [("Accounts Payable", "ap"), ("Purchasing Manager", "purchasing")],
}

# English name, Chinese name, type, list price in CNY
PRODUCTS = [
    ("Industrial Sensor IS-200", "工业传感器 IS-200", "consu", 1280.0),
    ("Servo Motor SM-750", "伺服电机 SM-750", "consu", 4650.0),
    ("PLC Controller C-16", "PLC 控制器 C-16", "consu", 8900.0),
    ("Stainless Valve DN50", "不锈钢阀门 DN50", "consu", 560.0),
    ("Installation & Commissioning (day)", "安装调试服务（人天）", "service", 3200.0),
    ("Annual Maintenance Contract", "年度维保合同", "service", 24000.0),
]

USERS = [
    # login, name, language, groups: exactly the groups of the role (README, "Configure")
    ("sales", "Li Ming (Sales)", "zh_CN", ["sales_team.group_sale_salesman"]),
    ("billing", "Wang Fang (Billing)", "zh_CN", ["account.group_account_invoice"]),
    ("collector", "Zhang Wei (Collector)", "zh_CN", ["credit_collection.group_credit_collector"]),
    ("manager", "Chen Hua (Credit Manager)", "en_US", ["credit_collection.group_credit_manager"]),
]


# ------------------------------------------------------------
# COMPANIES, CURRENCIES, TERMS, PRODUCTS, USERS
# ------------------------------------------------------------


def load_chinese_terms():
    """Chinese names of Odoo's own records: payment terms, taxes, fiscal positions...

    demo.sh installs with --load-language=zh_CN, but on a database copied from the base
    template Odoo loads the language while only `base` is in the registry, so the terms of
    account's and sale's records are skipped. Installing it again now loads them all.
    """
    chinese = ENV["res.lang"]._lang_get("zh_CN")
    ENV["base.language.install"].create({"lang_ids": [Command.set(chinese.ids)]}).lang_install()


def setup_currencies():
    """Activate CNY and USD; return them."""
    currencies = (
        ENV["res.currency"].with_context(active_test=False).search([("name", "in", ["CNY", "USD"])])
    )
    currencies.active = True
    return {c.name: c for c in currencies}


def setup_main_company(cny):
    """Rename the main company and switch it to CNY before any journal entry exists."""
    company = ENV.ref("base.main_company")
    china = ENV.ref("base.cn")
    company.write(
        {
            "name": "上海华信贸易有限公司",
            "currency_id": cny.id,
            "country_id": china.id,
            "account_fiscal_country_id": china.id,
            "street": "浦东新区世纪大道100号",
            "city": "上海",
            "zip": "200120",
            "phone": "+86 21 5888 1000",
            "email": "finance@huaxin-trading.cn",
            "website": "https://www.huaxin-trading.cn",
        }
    )
    company.partner_id.lang = "zh_CN"
    # the generic chart was loaded while the company was American: its taxes follow it to China,
    # and so does its "Domestic" fiscal position (else every Chinese customer is "Foreign Trade",
    # 0% exports); the default pricelist, made in USD, switches to CNY like the company
    domain = [("company_id", "=", company.id)]
    ENV["account.tax"].with_context(active_test=False).search(domain).country_id = china
    ENV["account.tax.group"].search(domain).country_id = china
    ENV["account.fiscal.position"].search(
        [*domain, ("country_id", "=", ENV.ref("base.us").id)]
    ).country_id = china
    ENV["product.pricelist"].search(domain).currency_id = cny
    return company


def setup_usd_company(usd):
    """The US sister company, in USD with its own generic chart of accounts.

    Country and email are written after the creation: given at creation, they would make
    Odoo install the US localisation module and call the partner autocomplete service.
    """
    company = ENV["res.company"].create(
        {
            "name": "Huaxin Trading (USA) Inc.",
            "currency_id": usd.id,
            "street": "500 Market Street",
            "city": "San Francisco",
            "zip": "94105",
        }
    )
    company.write({"country_id": ENV.ref("base.us").id, "email": "ar@huaxin-trading.com"})
    ENV.user.company_ids |= company
    ENV["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
    return company


def setup_rates(main, usd_company, currencies):
    """USD in the CNY company and CNY in the USD company, one rate a quarter."""
    vals_list = []
    for months_back in range(0, 18, 3):
        day = (TODAY - timedelta(days=30 * months_back)).replace(day=1)
        drift = 1 + 0.01 * ((months_back // 3) % 3 - 1)
        rate = round(USD_PER_CNY * drift, 6)
        vals_list += [
            {"name": day, "currency_id": currencies["USD"].id, "company_id": main.id, "rate": rate},
            {
                "name": day,
                "currency_id": currencies["CNY"].id,
                "company_id": usd_company.id,
                "rate": round(1 / rate, 6),
            },
        ]
    ENV["res.currency.rate"].create(vals_list)


def setup_payment_terms():
    """Immediate and 30 days come with account, 60 days with credit_collection."""
    return {
        "immediate": ENV.ref("account.account_payment_term_immediate"),
        "30": ENV.ref("account.account_payment_term_30days"),
        "60": ENV.ref("credit_collection.account_payment_term_60days"),
    }


def setup_products():
    """A few goods and services, named in English and Chinese."""
    products = ENV["product.product"].create(
        [
            {
                "name": name,
                "type": ptype,
                "list_price": price,
                "standard_price": round(price * 0.65, 2),
            }
            for name, _zh, ptype, price in PRODUCTS
        ]
    )
    for product, (_name, zh_name, _ptype, _price) in zip(products, PRODUCTS, strict=True):
        product.with_context(lang="zh_CN").name = zh_name
    return products


def setup_users(main, usd_company):
    """One demo user per role; the password is the login."""
    users = ENV["res.users"]
    for login, name, lang, groups in USERS:
        users |= (
            ENV["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": name,
                    "login": login,
                    "password": login,
                    "email": f"{login}@huaxin-trading.cn",
                    "lang": lang,
                    "company_id": main.id,
                    "company_ids": [Command.set((main | usd_company).ids)],
                    "group_ids": [Command.set([ENV.ref(xmlid).id for xmlid in groups])],
                }
            )
        )
    return {user.login: user for user in users}


# ------------------------------------------------------------
# CUSTOMERS
# ------------------------------------------------------------


def create_customers(companies, terms, salesman):
    """The 40 customer companies with their contacts; returns (partner, profile, company) tuples."""
    countries = {
        c.code: c
        for c in ENV["res.country"].search([("code", "in", list({c[2] for c in CUSTOMERS}))])
    }
    result = []
    for index, (name, domain, country, lang, profile, company_key) in enumerate(CUSTOMERS):
        company = companies[company_key]
        term = terms[RNG.choice(PROFILES[profile][1])]
        partner = (
            ENV["res.partner"]
            .with_company(company)
            .create(
                {
                    "name": name,
                    "is_company": True,
                    "company_id": company.id,
                    "country_id": countries[country].id,
                    "lang": lang,
                    "email": f"info@{domain}",
                    "phone": _phone(country),
                    "website": f"https://www.{domain}",
                    "ref": f"C{index + 1:03d}",
                    "user_id": salesman.id if company_key == "main" else False,
                    "property_payment_term_id": term.id,
                    "child_ids": _contacts_vals(index, domain, lang, company),
                }
            )
        )
        result.append((partner, profile, company))
    return result


def _contacts_vals(index, domain, lang, company):
    names = CHINESE_CONTACTS if lang == "zh_CN" else ENGLISH_CONTACTS
    roles = CONTACT_ROLES[lang][: RNG.choice((1, 2))]
    return [
        Command.create(
            {
                "name": names[(index * 3 + n) % len(names)],
                "function": role,
                "email": f"{mailbox}@{domain}",
                "lang": lang,
                "company_id": company.id,
            }
        )
        for n, (role, mailbox) in enumerate(roles)
    ]


def _phone(country):
    prefix = {"CN": "+86", "US": "+1", "CA": "+1", "HK": "+852", "SG": "+65"}.get(country, "+44")
    return f"{prefix} {RNG.randint(100, 999)} {RNG.randint(1000, 9999)} {RNG.randint(1000, 9999)}"


# ------------------------------------------------------------
# INVOICES AND PAYMENTS
# ------------------------------------------------------------


def plan_invoices(customers, products):
    """Invoice values for every customer, with the payments each profile will make.

    Returns [(invoice vals, company, [(payment date, fraction of the total)])], sorted by
    date so that the invoice numbers follow the dates.
    """
    plans = []
    for partner, profile, company in customers:
        count_range = PROFILES[profile][0]
        term_days = _term_days(partner.with_company(company).property_payment_term_id)
        default_at = TODAY - timedelta(days=RNG.randint(200, 260))
        span = 75 if profile == "new" else HISTORY_DAYS
        scale = USD_PER_CNY if company.currency_id.name == "USD" else 1.0
        for _i in range(RNG.randint(*count_range)):
            invoice_date = TODAY - timedelta(days=RNG.randint(0, span))
            due = invoice_date + timedelta(days=term_days)
            payments = PAYMENT_BEHAVIOUR[profile](invoice_date, due, default_at)
            vals = _invoice_vals(partner, company, invoice_date, products, scale)
            plans.append((vals, company, [(d, f) for d, f in payments if d <= TODAY]))
    plans.sort(key=lambda plan: plan[0]["invoice_date"])
    return plans


def _term_days(term):
    return max(term.line_ids.mapped("nb_days") or [0])


def _days(n):
    return timedelta(days=n)


def _pays_punctually(invoice_date, due, _default_at):
    return [(max(invoice_date, due + _days(RNG.randint(-7, 2))), 1.0)]


def _pays_as_new_customer(invoice_date, due, _default_at):
    return [(max(invoice_date, due + _days(RNG.randint(-3, 10))), 1.0)]


def _pays_slightly_late(_invoice_date, due, _default_at):
    if RNG.random() < 0.15:
        return [(due + _days(10), 0.5), (due + _days(30), 0.5)]
    return [(due + _days(RNG.randint(3, 25)), 1.0)]


def _pays_chronically_late(_invoice_date, due, _default_at):
    if RNG.random() < 0.4:
        first = round(RNG.uniform(0.3, 0.6), 2)
        return [
            (due + _days(RNG.randint(20, 60)), first),
            (due + _days(RNG.randint(70, 130)), 1 - first),
        ]
    return [(due + _days(RNG.randint(30, 100)), 1.0)]


def _pays_then_defaults(_invoice_date, due, default_at):
    """Paid late until it stopped paying at `default_at`, then at most a small instalment."""
    if due + _days(30) < default_at:
        return [(due + _days(RNG.randint(10, 45)), 1.0)]
    if RNG.random() < 0.3:
        return [(due + _days(20), round(RNG.uniform(0.2, 0.3), 2))]
    return []


# profile: function(invoice date, due date, default date) -> [(payment date, fraction)]
PAYMENT_BEHAVIOUR = {
    "punctual": _pays_punctually,
    "new": _pays_as_new_customer,
    "slightly_late": _pays_slightly_late,
    "chronically_late": _pays_chronically_late,
    "defaulter": _pays_then_defaults,
}


def _invoice_vals(partner, company, invoice_date, products, scale):
    lines = [
        Command.create(
            {
                "product_id": product.id,
                "quantity": RNG.randint(1, 12) if product.type == "consu" else RNG.randint(1, 3),
                "price_unit": round(product.list_price * scale * RNG.uniform(0.9, 1.05), 2),
            }
        )
        for product in RNG.sample(list(products), RNG.randint(1, 3))
    ]
    return {
        "move_type": "out_invoice",
        "partner_id": partner.id,
        "company_id": company.id,
        "invoice_date": invoice_date,
        "invoice_payment_term_id": partner.with_company(company).property_payment_term_id.id,
        "invoice_user_id": (partner.user_id or ENV.user).id,
        "ref": f"PO-{invoice_date:%y%m}-{RNG.randint(1000, 9999)}",
        "invoice_line_ids": lines,
    }


def create_invoices(plans):
    """One create and one action_post per company: batches, not a loop of posts.

    Returns [(invoice, [(payment date, fraction)])] in the order of `plans`.
    """
    result = []
    for company in ENV["res.company"].browse(sorted({plan[1].id for plan in plans})):
        company_plans = [plan for plan in plans if plan[1] == company]
        invoices = (
            ENV["account.move"]
            .with_company(company)
            .create([vals for vals, _c, _p in company_plans])
        )
        invoices.action_post()
        result += [
            (invoice, payments)
            for invoice, (_v, _c, payments) in zip(invoices, company_plans, strict=True)
        ]
    return result


def register_payments(invoices_with_payments):
    """Create every customer payment in one batch per company, post, then reconcile each."""
    planned = [
        (invoice, pay_date, amount)
        for invoice, payments in invoices_with_payments
        for pay_date, amount in _instalments(invoice, payments)
    ]
    payments = ENV["account.payment"]
    for company in ENV["res.company"].browse(sorted({row[0].company_id.id for row in planned})):
        journal = ENV["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "bank")], limit=1
        )
        rows = [row for row in planned if row[0].company_id == company]
        batch = (
            ENV["account.payment"]
            .with_company(company)
            .create(
                [
                    _payment_vals(invoice, pay_date, amount, journal)
                    for invoice, pay_date, amount in rows
                ]
            )
        )
        batch.action_post()
        moves_by_invoice = {}
        for (invoice, _d, _a), payment in zip(rows, batch, strict=True):
            moves_by_invoice[invoice] = (
                moves_by_invoice.get(invoice, ENV["account.move"]) | payment.move_id
            )
        ENV["account.move.line"]._reconcile_plan(
            [_receivable_lines(invoice | moves) for invoice, moves in moves_by_invoice.items()]
        )
        payments |= batch
    return payments


def _instalments(invoice, payments):
    """[(date, amount)]: the fractions turned into amounts, the last full one pays the rest."""
    total, paid, cumulative, result = invoice.amount_total, 0.0, 0.0, []
    for pay_date, fraction in payments:
        cumulative += fraction
        target = total if cumulative >= 0.999 else invoice.currency_id.round(total * cumulative)
        result.append((pay_date, invoice.currency_id.round(target - paid)))
        paid = target
    return result


def _payment_vals(invoice, pay_date, amount, journal):
    return {
        "payment_type": "inbound",
        "partner_type": "customer",
        "partner_id": invoice.commercial_partner_id.id,
        "amount": amount,
        "currency_id": invoice.currency_id.id,
        "date": pay_date,
        "journal_id": journal.id,
        "memo": invoice.name,
    }


def _receivable_lines(moves):
    return moves.line_ids.filtered(
        lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
    )


def create_credit_notes(invoices_with_payments):
    """A full reversal (pricing error) and a partial credit note (goods returned), reconciled."""
    open_invoices = [
        inv
        for inv, payments in invoices_with_payments
        if not payments
        and inv.currency_id == inv.company_id.currency_id
        and inv.company_id == ENV.company
    ]
    full, partial = open_invoices[len(open_invoices) // 3], open_invoices[len(open_invoices) // 2]
    full._reverse_moves(
        [{"invoice_date": full.invoice_date, "ref": f"Reversal of {full.name}: wrong unit price"}],
        cancel=True,
    )
    line = partial.invoice_line_ids[0]
    refund = ENV["account.move"].create(
        {
            "move_type": "out_refund",
            "partner_id": partial.partner_id.id,
            "invoice_date": min(TODAY, partial.invoice_date + timedelta(days=10)),
            "reversed_entry_id": partial.id,
            "ref": f"Goods returned on {partial.name}",
            "invoice_line_ids": [
                Command.create(
                    {"product_id": line.product_id.id, "quantity": 1, "price_unit": line.price_unit}
                )
            ],
        }
    )
    refund.action_post()
    _receivable_lines(partial | refund).reconcile()
    return full | partial


# ------------------------------------------------------------
# SALE ORDERS AND CREDIT HOLD
# ------------------------------------------------------------


def create_sale_orders(customers, products, salesman, held):
    """Orders for every other CNY customer: half confirmed, the rest (and all of the held
    customer's) left as quotations."""
    vals_list = []
    for partner, _profile, company in customers[::2]:
        if company != ENV.company:
            continue
        for _i in range(RNG.randint(1, 2)):
            vals_list.append(
                {
                    "partner_id": partner.id,
                    "user_id": salesman.id,
                    "client_order_ref": f"PO-{RNG.randint(10000, 99999)}",
                    "order_line": [
                        Command.create(
                            {"product_id": product.id, "product_uom_qty": RNG.randint(1, 10)}
                        )
                        for product in RNG.sample(list(products), RNG.randint(1, 3))
                    ],
                }
            )
    orders = ENV["sale.order"].create(vals_list)
    orders[::2].filtered(lambda order: order.partner_id.id != held.id).action_confirm()
    return orders


def _customer_to_hold(customers):
    """The first defaulter of the CNY company."""
    return next(
        p for p, profile, company in customers if profile == "defaulter" and company == ENV.company
    )


def put_on_hold(partner):
    """After its orders exist: a hold blocks confirming them. Tracked in the chatter."""
    partner.with_env(SHELL_ENV).write(
        {
            "credit_hold": True,
            "credit_hold_reason": "多张发票逾期超过180天，暂停赊销 / Invoices over 180 days "
            "overdue: no new credit sales until the arrears are settled.",
        }
    )


def evaluate_customers(manager):
    """The first credit evaluation: the daily re-evaluation proposes a grade, limit and terms
    for every customer, each waiting for a credit manager (a customer's first review is never
    approved by itself); the manager approves them in bulk but for the last three, left in
    Reviews to Approve."""
    ENV["credit.review"]._cron_reevaluate(commit=False)
    pending = ENV["credit.review"].search([("state", "=", "to_approve")], order="id")
    pending[:-3].with_user(manager).action_approve()
    return pending


# ------------------------------------------------------------
# MAIN
# ------------------------------------------------------------


def step(label, function, *args):
    """Run one stage and say how long it took: the whole script must stay under 3 minutes."""
    started = time.time()
    result = function(*args)
    print(f"  {label}: {time.time() - started:.1f}s", flush=True)
    return result


def main():
    started = time.time()
    step("Chinese terms", load_chinese_terms)
    currencies = step("currencies", setup_currencies)
    main_company = step("main company", setup_main_company, currencies["CNY"])
    usd_company = step("USD company and its chart", setup_usd_company, currencies["USD"])
    setup_rates(main_company, usd_company, currencies)
    terms = setup_payment_terms()
    products = setup_products()
    users = step("users", setup_users, main_company, usd_company)
    # the collector works the cases of both companies ("My Collections" is theirs)
    (main_company | usd_company).write({"collection_user_id": users["collector"].id})
    companies = {"main": main_company, "usd": usd_company}
    customers = step("customers", create_customers, companies, terms, users["sales"])
    plans = plan_invoices(customers, products)
    invoices_with_payments = step("invoices", create_invoices, plans)
    payments = step("payments", register_payments, invoices_with_payments)
    step("credit notes", create_credit_notes, invoices_with_payments)
    held = _customer_to_hold(customers)
    orders = step("sale orders", create_sale_orders, customers, products, users["sales"], held)
    put_on_hold(held)
    reviews = step("credit evaluation", evaluate_customers, users["manager"])
    # the month ends of the history, as the daily job takes them: trends and closed months
    step("month-end snapshots", ENV["credit.receivable.snapshot"]._cron_take_snapshots, False)
    for company in companies.values():
        step(
            f"expected payment dates ({company.name})",
            ENV["account.move"]._forecast_payments,
            company,
            None,
            False,
        )
    # the early warnings the daily run raises on that history (风险预警)
    step("early warnings", ENV["credit.alert.rule"]._cron_evaluate_alerts, False)
    ENV.cr.commit()
    print(
        f"demo data: {len(customers)} customers, {len(invoices_with_payments)} invoices, "
        f"{len(payments)} payments, {len(orders)} sale orders, {held.name} on credit hold, "
        f"{len(reviews)} credit reviews, "
        f"in {time.time() - started:.0f}s"
    )


main()
