import { registry } from "@web/core/registry";

// A collector opens a customer's credit file (信用档案), starts a credit review, enters the
// bureau score and the 5C judgement, recomputes the payment history and submits the review.
registry.category("web_tour.tours").add("credit_review_submit_tour", {
    steps: () => [
        {
            content: "Open the customer's Credit tab",
            trigger: ".o_form_view .o_notebook a.nav-link[name='credit_collection']",
            run: "click",
        },
        {
            content: "No grade yet: open the customer's credit reviews",
            trigger: ".o_form_view button[name='action_view_credit_reviews']",
            run: "click",
        },
        {
            content: "Start a new review",
            trigger: ".o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            content: "The review is of this customer",
            trigger: ".o_form_view div[name='partner_id'] input:value(Review Tour Customer)",
        },
        {
            content: "Open the bureau and 5C page",
            trigger: ".o_form_view .o_notebook a.nav-link[name='judgement']",
            run: "click",
        },
        {
            trigger: ".o_form_view div[name='bureau_score'] input",
            run: "edit 820",
        },
        {
            trigger: ".o_form_view div[name='bureau_source'] input",
            run: "edit Shanghai Credit Bureau",
        },
        {
            content: "Judge the character",
            trigger: ".o_form_view div[name='character'] .o_select_menu_toggler",
            run: "click",
        },
        {
            trigger: ".o_select_menu_menu .o_select_menu_item:contains(5 - Excellent)",
            run: "click",
        },
        {
            content: "and the capacity",
            trigger: ".o_form_view div[name='capacity'] .o_select_menu_toggler",
            run: "click",
        },
        {
            trigger: ".o_select_menu_menu .o_select_menu_item:contains(4 - Good)",
            run: "click",
        },
        {
            content: "Recompute the payment history from the ledger (saves the review)",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_refresh']",
            run: "click",
        },
        {
            content: "The score explains itself: the factors are listed",
            trigger: ".o_form_view .o_notebook a.nav-link[name='lines']",
            run: "click",
        },
        {
            trigger: ".o_form_view div[name='line_ids'] .o_data_row:contains(Invoices Paid on Time)",
        },
        {
            content: "Submit it to a credit manager",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_submit']",
            run: "click",
        },
        {
            content: "The review waits for approval",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(To Approve)",
        },
    ],
});

// A credit manager approves the review; the customer's credit file shows the grade.
registry.category("web_tour.tours").add("credit_review_approve_tour", {
    steps: () => [
        {
            content: "Approve the review",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_approve']",
            run: "click",
        },
        {
            content: "The review is approved",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Approved)",
        },
        {
            content: "Open the customer",
            trigger: ".o_form_view div[name='partner_id'] a.o_form_uri",
            run: "click",
        },
        {
            content: "Open its Credit tab",
            trigger: ".o_form_view .o_notebook a.nav-link[name='credit_collection']",
            run: "click",
        },
        {
            content: "The credit file shows the grade",
            trigger: ".o_form_view div[name='credit_grade_id'] .badge:contains(Excellent)",
        },
        {
            content: "and the approved review in its history",
            trigger: ".o_form_view div[name='credit_review_ids'] .o_data_row:contains(Approved)",
        },
    ],
});
