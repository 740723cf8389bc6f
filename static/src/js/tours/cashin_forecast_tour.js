import { registry } from "@web/core/registry";
import { openReportingMenuItem } from "@credit_collection/js/tours/tour_steps";

/**
 * Steps of the cash-in forecast (回款预测): from the Reporting menu to its graph, then its
 * pivot (the band and the expected amount side by side), and back. Exported so that a
 * longer story (the early warnings') can start with them.
 */
export function openCashinForecast(amount = "500.00") {
    return [
        ...openReportingMenuItem("credit_collection.menu_credit_cashin_report", "the cash-in forecast"),
        {
            content: "The graph of the next 13 weeks opens",
            trigger: ".o_graph_view .o_graph_canvas_container canvas",
        },
        {
            content: "Switch to the pivot",
            trigger: ".o_switch_view.o_pivot",
            run: "click",
        },
        {
            content: "The band and the expected amount side by side",
            trigger: ".o_pivot th:contains('Low (P10)') ~ th:contains('Expected')",
        },
        ...(amount
            ? [
                  {
                      content: "The invoice expected in two weeks is in the total",
                      trigger: `.o_pivot td.o_pivot_cell_value:contains('${amount}')`,
                  },
              ]
            : []),
        {
            content: "Back to the graph",
            trigger: ".o_switch_view.o_graph",
            run: "click",
        },
        {
            content: "The graph is drawn again",
            trigger: ".o_graph_view .o_graph_canvas_container canvas",
        },
    ];
}

registry.category("web_tour.tours").add("credit_collection_cashin_forecast", {
    url: "/odoo",
    steps: () => openCashinForecast(),
});
