import { registry } from "@web/core/registry";
import { openReportingMenuItem } from "@credit_collection/js/tours/tour_steps";

// A finance manager's analysis of last month's receivables KPIs by customer, then exported.
registry.category("web_tour.tours").add("credit_collection_kpi_report", {
    url: "/odoo",
    steps: () => [
        ...openReportingMenuItem("credit_collection.menu_credit_kpi_report", "the receivables KPIs"),
        {
            content: "Choose last month",
            trigger: ".modal div[name='period'] input[data-value='last_month']",
            run: "click",
        },
        {
            content: "Open the groupings",
            trigger: ".modal div[name='group_by'] .o_select_menu_toggler",
            run: "click",
        },
        {
            content: "Group by customer",
            trigger: ".o_select_menu_item:contains('Customer')",
            run: "click",
        },
        {
            content: "Analyse",
            trigger: ".modal button[name='action_open_analysis']",
            run: "click",
        },
        {
            content: "The customer has its row with its receivables at the end of the month",
            trigger: ".o_list_view tr:has(td:contains('Tour KPI Customer')) td:contains('600.00')",
        },
        {
            content: "The company's total row follows",
            trigger: ".o_list_view td[name='name']:contains('Total')",
        },
        {
            content: "Export the rows to Excel",
            trigger: ".o_control_panel button[name='action_export_xlsx']",
            run: "click",
        },
        {
            content: "The analysis stays open",
            trigger: ".o_list_view td:contains('Tour KPI Customer')",
        },
    ],
});
