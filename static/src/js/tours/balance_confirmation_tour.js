import { registry } from "@web/core/registry";

// A portal user of the customer answers a balance confirmation request (对账确认) on the
// request's portal page: confirms the balance, or contests it with the amount it believes.
registry.category("web_tour.tours").add("credit_collection_portal_confirm_balance", {
    steps: () => [
        {
            content: "The page shows the balance asked about",
            trigger: ".o_balance_confirmation_balance",
        },
        {
            content: "Confirm the balance",
            trigger: "button.o_balance_confirmation_confirm",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The answer is recorded",
            trigger: ".o_balance_confirmation_thanks",
        },
        {
            content: "The page no longer takes an answer",
            trigger: ".o_balance_confirmation:not(:has(.o_balance_confirmation_answer))",
        },
    ],
});

registry.category("web_tour.tours").add("credit_collection_portal_contest_balance", {
    steps: () => [
        {
            content: "Type the balance the customer believes",
            trigger: "input[name='amount']",
            run: "edit 1234.56",
        },
        {
            content: "Say what differs",
            trigger: "textarea[name='comment']",
            run: "edit Our payment of 15 March is missing.",
        },
        {
            content: "Contest the balance",
            trigger: "button.o_balance_confirmation_contest",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The answer is recorded with the amount",
            trigger: ".o_balance_confirmation_answered:contains('1,234.56')",
        },
    ],
});
