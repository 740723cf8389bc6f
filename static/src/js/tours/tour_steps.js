// Steps the tours share: reaching a report from the app's Reporting menu.

/**
 * Open Credit & Collections from the apps menu, then Reporting, then the given item.
 *
 * @param {string} menuXmlid xml id of the Reporting menu item to open
 * @param {string} label what the item is, for the step's description
 */
export function openReportingMenuItem(menuXmlid, label) {
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
        {
            content: "Open the Reporting menu",
            trigger: "[data-menu-xmlid='credit_collection.menu_credit_reporting']",
            run: "click",
        },
        {
            content: `Open ${label}`,
            trigger: `[data-menu-xmlid='${menuXmlid}']`,
            run: "click",
        },
    ];
}
