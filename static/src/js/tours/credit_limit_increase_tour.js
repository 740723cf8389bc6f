import { registry } from "@web/core/registry";
import { openMenuItem } from "@credit_collection/js/tours/tour_steps";

// A credit manager grants a customer a temporary credit limit increase from Credit Control,
// valid for a month from today, so that its quotation above the limit can go through.
registry.category("web_tour.tours").add("credit_limit_increase_grant_tour", {
    url: "/odoo",
    steps: () => [
        ...openMenuItem(
            "credit_collection.menu_credit_control_root",
            "credit_collection.menu_credit_limit_increase",
            "the temporary limit increases"
        ),
        {
            // the app's own first page (Customers) may still be on screen for a moment
            content: "The list of increases is open",
            trigger: ".o_breadcrumb .active:contains(Temporary Limit Increases)",
        },
        {
            content: "Grant a new increase",
            trigger: ".o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            content: "To the customer",
            trigger: ".o_list_view .o_selected_row div[name='partner_id'] input",
            run: "edit Acme Trading",
        },
        {
            content: "Pick it in the list",
            trigger: ".o-autocomplete--dropdown-item:contains(Acme Trading Co.)",
            run: "click",
        },
        {
            content: "Of how much",
            trigger: ".o_list_view .o_selected_row div[name='amount'] input",
            run: "edit 1000",
        },
        {
            content: "Until when",
            trigger: ".o_list_view .o_selected_row div[name='date_end'] input",
            run: `edit ${luxon.DateTime.now().plus({ days: 30 }).toFormat("MM/dd/yyyy")}`,
        },
        {
            content: "And why",
            trigger: ".o_list_view .o_selected_row div[name='reason'] textarea",
            run: "edit Seasonal stock-up, paid in January",
        },
        {
            content: "Save",
            trigger: ".o_control_panel .o_list_button_save",
            run: "click",
        },
        {
            content: "The increase is listed, granted by the credit manager",
            trigger:
                ".o_list_view .o_data_row:not(.o_selected_row):contains(Acme Trading Co.) td[name='create_uid']:contains(Mona Manager)",
        },
    ],
});

// The salesperson confirms the quotation the limit used to block.
registry.category("web_tour.tours").add("credit_limit_increase_confirm_tour", {
    steps: () => [
        {
            content: "The quotation no longer warns about the credit limit",
            trigger:
                ".o_form_view:has(.o_statusbar_status button.o_arrow_button_current:contains(Quotation)):not(:has(.alert-warning:contains(Credit limit)))",
        },
        {
            content: "Confirm it",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_confirm']:visible",
            run: "click",
        },
        {
            content: "The order is confirmed",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Sales Order)",
        },
    ],
});
