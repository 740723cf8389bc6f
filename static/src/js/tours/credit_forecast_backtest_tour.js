import { registry } from "@web/core/registry";
import { openReportingMenuItem } from "@credit_collection/js/tours/tour_steps";

// A credit manager backtests the expected payment dates on the company's own ledger.
registry.category("web_tour.tours").add("credit_collection_forecast_backtest", {
    url: "/odoo",
    steps: () => [
        ...openReportingMenuItem(
            "credit_collection.menu_credit_forecast_backtest",
            "the payment forecast backtest"
        ),
        {
            content: "Change the cut-off date",
            trigger: ".modal div[name='date_split'] button",
            run: "click",
        },
        {
            content: "Test on the invoices of the second half of 2025",
            trigger: ".modal div[name='date_split'] input",
            run: "edit 07/01/2025 && press Enter",
        },
        {
            content: "Run the backtest",
            trigger: ".modal button[name='action_run']",
            run: "click",
        },
        {
            content: "Twelve paid invoices were tested",
            trigger: ".modal div[name='n']:contains('12')",
        },
        {
            content: "The due date's error is shown beside the model's",
            trigger: ".modal div[name='mae_days_due_date_baseline']:contains('5.00')",
        },
        {
            content: "The figures as one JSON line",
            trigger: ".modal div[name='result_json']:contains('\"n\": 12')",
        },
    ],
});
