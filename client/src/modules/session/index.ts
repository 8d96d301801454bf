export { AccountMenu } from "./account-menu";
export { restoreSession, useSession } from "./session-store";
export { SignInPage } from "./sign-in.page";
export { useCan, useViewer, ViewerProvider } from "./viewer";
