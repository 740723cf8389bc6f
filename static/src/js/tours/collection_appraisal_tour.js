import { registry } from "@web/core/registry";
import { openReportingMenuItem } from "@credit_collection/js/tours/tour_steps";

// A credit manager ranks the collectors for March 2024 and opens one collector's sheet.
registry.category("web_tour.tours").add("credit_collection_collector_appraisal", {
    url: "/odoo",
    steps: () => [
        ...openReportingMenuItem(
            "credit_collection.menu_collection_appraisal",
            "the collector appraisal"
        ),
        {
            content: "Change the start of the period (last month by default)",
            trigger: ".modal div[name='date_from'] button, .modal div[name='date_from'] input",
            run: "click",
        },
        {
            content: "From the 1st of March 2024",
            trigger: ".modal div[name='date_from'] input",
            run: "edit 03/01/2024 && press Enter",
        },
        {
            content: "Change the end of the period",
            trigger: ".modal div[name='date_to'] button, .modal div[name='date_to'] input",
            run: "click",
        },
        {
            content: "To the 31st of March 2024",
            trigger: ".modal div[name='date_to'] input",
            run: "edit 03/31/2024 && press Enter",
        },
        {
            content: "Show the ranking",
            trigger: ".modal button[name='action_open_ranking']",
            run: "click",
        },
        {
            content: "The collector who reached all of the target ranks first",
            trigger: ".o_list_view .o_data_row:first-child td[name='name']:contains('Wang Fang')",
        },
        {
            content: "Chen collected 70% of the target",
            trigger: ".o_list_view .o_data_row:contains('Chen Jing') td[name='target_rate']:contains('70')",
        },
        {
            content: "Open Chen's appraisal sheet",
            trigger: ".o_list_view .o_data_row:contains('Chen Jing') button[name='action_open_sheet']",
            run: "click",
        },
        {
            content: "The sheet shows Chen's cash collected",
            trigger: ":iframe .page:contains('Chen Jing'):contains('700.00')",
        },
    ],
});
