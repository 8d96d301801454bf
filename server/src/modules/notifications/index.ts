export { NOTIFICATION_TOPIC, NotificationDispatcher } from "./notification.dispatcher";
export { NotificationResolver } from "./notification.resolver";
