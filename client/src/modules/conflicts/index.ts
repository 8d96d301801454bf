export { ConflictsPage } from "./conflicts.page";
