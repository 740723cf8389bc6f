// Steps the tours share: reaching an item of the app's menus, asking for a credit approval.

/**
 * Open Credit & Collections from the apps menu: it lands on its customer list.
 */
export function openApp() {
    return [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu .dropdown-toggle",
            run: "click",
        },
        {
            content: "Open Credit & Collections",
            trigger: ".o_app[data-menu-xmlid='credit_collection.menu_credit_collection_root']",
            run: "click",
        },
    ];
}

/**
 * Open Credit & Collections from the apps menu, then a top menu, then one of its items.
 *
 * @param {string} parentXmlid xml id of the top menu (Collections, Reporting...)
 * @param {string} menuXmlid xml id of the item to open
 * @param {string} label what the item is, for the step's description
 */
export function openMenuItem(parentXmlid, menuXmlid, label) {
    return [
        ...openApp(),
        {
            content: "Open the top menu",
            trigger: `[data-menu-xmlid='${parentXmlid}']`,
            run: "click",
        },
        {
            content: `Open ${label}`,
            trigger: `[data-menu-xmlid='${menuXmlid}']`,
            run: "click",
        },
    ];
}

/**
 * Open an item of the Reporting menu.
 *
 * @param {string} menuXmlid xml id of the Reporting menu item to open
 * @param {string} label what the item is, for the step's description
 */
export function openReportingMenuItem(menuXmlid, label) {
    return openMenuItem("credit_collection.menu_credit_reporting", menuXmlid, label);
}

/**
 * On an order the credit check just refused: close the message, request a credit approval
 * with a reason, and see the request in the order's chatter.
 *
 * @param {string} reason why the order should go through, as the salesperson types it
 */
export function requestCreditApproval(reason) {
    return [
        {
            content: "Close the message",
            trigger: ".o_error_dialog .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Request a credit approval",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_request_credit_approval']",
            run: "click",
        },
        {
            content: "Say why the order should go through",
            trigger: ".modal div[name='reason'] textarea",
            run: `edit ${reason}`,
        },
        {
            content: "Send the request",
            trigger: ".modal button[name='action_request']",
            run: "click",
        },
        {
            content: "The request is in the order's chatter",
            trigger: ".o-mail-Message:contains(Credit approval requested)",
        },
    ];
}
