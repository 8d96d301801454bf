export { NotificationBell } from "./notification-bell";
export { NotificationPreferencesForm } from "./notification-preferences-form";
