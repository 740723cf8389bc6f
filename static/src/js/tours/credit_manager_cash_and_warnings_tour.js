import { registry } from "@web/core/registry";
import { openCashinForecast } from "@credit_collection/js/tours/cashin_forecast_tour";
import { holdCustomerFromWarning } from "@credit_collection/js/tours/credit_alert_tour";

// A credit manager's morning: what cash is coming in (the cash-in forecast, graph and
// pivot), then the early warning about a customer above its limit, acted upon (put on hold).
registry.category("web_tour.tours").add("credit_collection_cash_and_warnings", {
    url: "/odoo",
    steps: () => [...openCashinForecast(null), ...holdCustomerFromWarning()],
});
