import { registry } from "@web/core/registry";

// The customer on Odoo's portal: its statement, a promise to pay, a dispute.

function inDays(days) {
    const date = new Date();
    date.setDate(date.getDate() + days);
    return date.toISOString().slice(0, 10);
}

registry.category("web_tour.tours").add("credit_collection_portal_statement", {
    url: "/my/home",
    steps: () => [
        {
            content: "Open the statement from the portal home",
            trigger: "a[href='/my/statement']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The statement lists the open items and the aging",
            trigger: ".o_credit_portal_lines tbody tr a.o_credit_portal_promise",
        },
        {
            content: "Download the statement as a PDF",
            trigger: "a.o_credit_portal_pdf",
            async run() {
                const response = await fetch(this.anchor.href);
                const type = response.headers.get("Content-Type");
                if (!response.ok || type !== "application/pdf") {
                    throw new Error(`The statement did not download as a PDF (${type})`);
                }
            },
        },
        {
            content: "The aging summary is shown",
            trigger: ".o_credit_portal_aging",
        },
    ],
});

registry.category("web_tour.tours").add("credit_collection_portal_promise", {
    url: "/my/statement",
    steps: () => [
        {
            content: "Promise to pay the overdue invoice",
            trigger: "a.o_credit_portal_promise",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Choose the payment date",
            trigger: "form.o_credit_portal_promise_form input[name='date_promised']",
            run() {
                this.anchor.value = inDays(5);
            },
        },
        {
            content: "Promise part of the open amount",
            trigger: "form.o_credit_portal_promise_form input[name='amount']",
            run: "edit 600",
        },
        {
            content: "Send the promise",
            trigger: "form.o_credit_portal_promise_form button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The promise is recorded and listed",
            trigger: ".o_credit_portal_done:contains('promise')",
        },
        {
            content: "It shows among the customer's promises",
            trigger: ".o_credit_portal_promises tbody tr:contains('Open')",
        },
    ],
});

registry.category("web_tour.tours").add("credit_collection_portal_dispute", {
    url: "/my/statement",
    steps: () => [
        {
            content: "Dispute the invoice",
            trigger: "a.o_credit_portal_dispute",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Choose the reason",
            trigger: "form.o_credit_portal_dispute_form select[name='reason']",
            run: "select quality",
        },
        {
            content: "Say what is wrong",
            trigger: "form.o_credit_portal_dispute_form textarea[name='description']",
            run: "edit Two crates arrived broken",
        },
        {
            content: "Send the dispute",
            trigger: "form.o_credit_portal_dispute_form button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The dispute is recorded and listed",
            trigger: ".o_credit_portal_disputes tbody tr:contains('Open')",
        },
    ],
});
