// Steps the tours share: reaching an item of the app's menus.

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
