import { Component, onWillStart, useEffect, useRef, useState } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { deserializeDate, formatDate } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { formatFloat } from "@web/core/utils/numbers";

/**
 * The receivables dashboard (应收账款看板): KPIs of a period beside the period before,
 * 24 months of trends, today's aging buckets, the customers with the largest expected
 * loss, the collectors and the segments of the company the user works in.
 *
 * Everything comes from one call, res.company.get_receivables_dashboard, which checks the
 * reader; each figure drills down through a res.company action_open_receivables_dashboard_*
 * method that returns the window action of the records behind it.
 */
export class ReceivablesDashboard extends Component {
    static template = "credit_collection.ReceivablesDashboard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({ period: "this_month", data: null });
        this.arChartRef = useRef("arChart");
        this.salesChartRef = useRef("salesChart");
        this.charts = [];
        this.periods = [
            { key: "this_month", label: _t("This Month") },
            { key: "last_month", label: _t("Last Month") },
            { key: "this_quarter", label: _t("This Quarter") },
            { key: "this_year", label: _t("This Year") },
        ];
        onWillStart(async () => {
            await loadBundle("web.chartjs_lib");
            await this.load(this.state.period);
        });
        useEffect(
            () => {
                this.renderCharts();
                return () => this.destroyCharts();
            },
            () => [this.state.data]
        );
    }

    async load(period) {
        const data = await this.orm.call("res.company", "get_receivables_dashboard", [], {
            period,
        });
        this.state.period = period;
        this.state.data = data;
    }

    // ------------------------------------------------------------
    // FORMATS
    // ------------------------------------------------------------

    formatMoney(amount) {
        const currency = this.state.data.currency;
        const number = formatFloat(amount || 0, { digits: [false, currency.digits] });
        return currency.position === "before"
            ? `${currency.symbol}\u00a0${number}`
            : `${number}\u00a0${currency.symbol}`;
    }

    formatFigure(value, kind) {
        if (value === null || value === undefined) {
            return "—";
        }
        if (kind === "money") {
            return this.formatMoney(value);
        }
        if (kind === "rate") {
            return `${formatFloat(value * 100, { digits: [false, 1] })}\u00a0%`;
        }
        if (kind === "percent") {
            return `${formatFloat(value, { digits: [false, 1] })}\u00a0%`;
        }
        return _t("%(days)s days", { days: formatFloat(value, { digits: [false, 1] }) });
    }

    formatDate(value) {
        return formatDate(deserializeDate(value));
    }

    formatMonth(value) {
        // "Nov 26" in English, "26年11月" in Chinese: the user's locale decides
        return deserializeDate(value).toLocaleString({ month: "short", year: "2-digit" });
    }

    /** "better", "worse" or "" for the arrow beside the comparison period's figure. */
    trend(kpi) {
        if (kpi.value === null || kpi.previous === null || kpi.value === kpi.previous) {
            return "";
        }
        return kpi.value > kpi.previous === kpi.higher_is_better ? "better" : "worse";
    }

    bucketWidth(bucket) {
        const total = this.state.data.buckets.reduce((sum, b) => sum + Math.max(b.amount, 0), 0);
        return total ? (Math.max(bucket.amount, 0) / total) * 100 : 0;
    }

    /** What the expected loss is, with the loss rate of each bucket. */
    get expectedLossHelp() {
        const rates = this.state.data.buckets
            .filter((bucket) => bucket.loss_rate)
            .map((bucket) => `${bucket.label}: ${formatFloat(bucket.loss_rate * 100, { digits: [false, 0] })}\u00a0%`)
            .join(", ");
        return _t(
            "Expected loss: what is open in each overdue bucket times the bucket's loss rate (%(rates)s), the usual provisioning matrix. Receivables not yet due count nothing; a bucket that nets to a credit counts as zero. Click a row for the customer's credit file.",
            { rates }
        );
    }

    // ------------------------------------------------------------
    // DRILL-DOWN
    // ------------------------------------------------------------

    async openAction(method, kwargs) {
        const action = await this.orm.call("res.company", method, [], kwargs);
        return this.actionService.doAction(action);
    }

    openItems(asOf, options = {}) {
        return this.openAction("action_open_receivables_dashboard_items", {
            as_of: asOf,
            ...options,
        });
    }

    openInvoices(dateFrom, dateTo) {
        return this.openAction("action_open_receivables_dashboard_invoices", {
            date_from: dateFrom,
            date_to: dateTo,
        });
    }

    onKpiClick(kpi) {
        const data = this.state.data;
        if (kpi.drill === "invoices") {
            return this.openInvoices(data.date_from, data.date_to);
        }
        if (kpi.drill === "items_start") {
            const start = deserializeDate(data.date_from).minus({ days: 1 });
            return this.openItems(start.toISODate());
        }
        return this.openItems(data.date_to, { overdue: kpi.drill === "overdue_end" });
    }

    onBucketClick(bucket) {
        return this.openItems(this.state.data.today, { bucket: bucket.index });
    }

    onCustomerClick(customer) {
        return this.openAction("action_open_receivables_dashboard_customer", {
            partner_id: customer.partner_id,
        });
    }

    onCashInClick() {
        return this.openAction("action_open_receivables_dashboard_cash_in", {});
    }

    onAlertsClick(alertId) {
        return this.openAction(
            "action_open_receivables_dashboard_alerts",
            alertId ? { alert_id: alertId } : {}
        );
    }

    onCollectorClick(collector) {
        return this.openItems(this.state.data.date_to, { collector_id: collector.collector_id });
    }

    // ------------------------------------------------------------
    // CHARTS (Chart.js, loaded from web.chartjs_lib as Odoo's graph view does)
    // ------------------------------------------------------------

    renderCharts() {
        this.destroyCharts();
        const trends = this.state.data.trends;
        const labels = trends.map((month) => this.formatMonth(month.month));
        const money = {
            callback: (value) => formatFloat(value, { humanReadable: true, decimals: 1 }),
        };
        this.charts.push(
            new Chart(this.arChartRef.el, {
                type: "line",
                data: {
                    labels,
                    datasets: [
                        { label: _t("Receivables"), data: trends.map((m) => m.ar), borderColor: "#3b82f6", backgroundColor: "rgba(59,130,246,0.15)", fill: true, spanGaps: true },
                        { label: _t("Overdue"), data: trends.map((m) => m.overdue), borderColor: "#dc2626", backgroundColor: "rgba(220,38,38,0.1)", fill: true, spanGaps: true },
                    ],
                },
                options: {
                    maintainAspectRatio: false,
                    interaction: { mode: "index", intersect: false },
                    scales: { y: { ticks: money } },
                    onClick: (event, elements) => {
                        if (elements.length) {
                            const { datasetIndex, index } = elements[0];
                            this.openItems(trends[index].date, { overdue: datasetIndex === 1 });
                        }
                    },
                },
            })
        );
        this.charts.push(
            new Chart(this.salesChartRef.el, {
                data: {
                    labels,
                    datasets: [
                        { type: "bar", label: _t("Credit Sales"), data: trends.map((m) => m.credit_sales), backgroundColor: "rgba(16,185,129,0.6)", yAxisID: "y" },
                        { type: "line", label: _t("DSO (days)"), data: trends.map((m) => m.dso), borderColor: "#f59e0b", yAxisID: "days", spanGaps: true },
                    ],
                },
                options: {
                    maintainAspectRatio: false,
                    scales: {
                        y: { ticks: money, position: "left" },
                        days: { position: "right", grid: { drawOnChartArea: false }, beginAtZero: true },
                    },
                    onClick: (event, elements) => {
                        if (elements.length) {
                            const month = trends[elements[0].index];
                            this.openInvoices(month.month, month.date);
                        }
                    },
                },
            })
        );
    }

    destroyCharts() {
        for (const chart of this.charts) {
            chart.destroy();
        }
        this.charts = [];
    }
}

registry.category("actions").add("credit_collection.receivables_dashboard", ReceivablesDashboard);
