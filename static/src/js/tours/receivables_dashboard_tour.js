import { registry } from "@web/core/registry";
import { openReportingMenuItem } from "@credit_collection/js/tours/tour_steps";

// A credit manager opens the receivables dashboard, reads a KPI card and drills down from
// an aging bucket to the journal items behind it.
registry.category("web_tour.tours").add("credit_collection_receivables_dashboard", {
    url: "/odoo",
    steps: () => [
        ...openReportingMenuItem(
            "credit_collection.menu_receivables_dashboard",
            "the receivables dashboard"
        ),
        {
            content: "The receivables at the end of the period: both invoices",
            trigger: ".o_credit_dashboard_kpi[data-kpi='ar_end'] .o_credit_dashboard_kpi_value:contains('1,500.00')",
        },
        {
            content: "The credit sales of the month: the invoice of today",
            trigger: ".o_credit_dashboard_kpi[data-kpi='credit_sales'] .o_credit_dashboard_kpi_value:contains('500.00')",
        },
        {
            content: "The customer 45 days late is the worst by expected loss (5 % of 1,000)",
            trigger: ".o_credit_dashboard_worst .o_credit_dashboard_customer:first:contains('Tour Customer'):contains('50.00')",
        },
        {
            content: "Open the 31-60 days bucket",
            trigger: ".o_credit_dashboard_bucket[data-bucket='2']:contains('1,000.00')",
            run: "click",
        },
        {
            content: "The items list holds the overdue invoice",
            trigger: ".o_list_view .o_data_row:contains('1,000.00')",
        },
        {
            content: "and nothing else",
            trigger: ".o_list_view:not(:has(.o_data_row:contains('500.00')))",
        },
        {
            content: "The dashboard is one click back",
            trigger: ".o_breadcrumb .o_back_button, .o_breadcrumb a:contains('Receivables Dashboard')",
        },
    ],
});
