import { registry } from "@web/core/registry";
import { openReportingMenuItem } from "@credit_collection/js/tours/tour_steps";

// An accountant opens the aging analysis as of a past date, reads it by collector and drills
// down from a bucket to the journal items behind it (every read of the analysis's rows is
// served on a read-only cursor: see tests/test_credit_aging_tour.py).
registry.category("web_tour.tours").add("credit_collection_aging_analysis", {
    url: "/odoo",
    steps: () => [
        ...openReportingMenuItem("credit_collection.menu_credit_aging_report", "the aging report"),
        {
            content: "Change the as-of date (today by default)",
            trigger: ".modal div[name='as_of_date'] button",
            run: "click",
        },
        {
            content: "Age the receivables as of the end of March 2024",
            trigger: ".modal div[name='as_of_date'] input",
            run: "edit 03/31/2024 && press Enter",
        },
        {
            content: "Analyse",
            trigger: ".modal button[name='action_open_analysis']",
            run: "click",
        },
        {
            content: "The pivot shows the receivable balance at that date",
            trigger: ".o_pivot td.o_pivot_cell_value:contains('2,200.00')",
        },
        {
            content: "Expand the rows",
            trigger: ".o_pivot tbody .o_pivot_header_cell_closed",
            run: "click",
        },
        {
            content: "by collector",
            trigger: ".o-dropdown--menu .dropdown-item:contains('Collector')",
            run: "click",
        },
        {
            content: "The collector of the customer has a row",
            trigger: ".o_pivot tbody th:contains('Chen Jing')",
        },
        {
            content: "Switch to the list of items",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The list is grouped by aging bucket: open 61-90",
            trigger: ".o_list_view .o_group_name:contains('61-90')",
            run: "click",
        },
        {
            content: "Drill down from the customer's row to its journal items",
            trigger: ".o_list_view .o_data_row button[name='action_open_journal_item']",
            run: "click",
        },
        {
            content: "The journal items behind the row are listed",
            trigger: ".o_breadcrumb .active:contains('Open items of')",
        },
        {
            content: "The invoice aged 61-90 days is listed",
            trigger: ".o_list_view .o_data_row",
        },
    ],
});
