export { AccountMenu } from "./account-menu";
export { PublicCard } from "./public-card";
export { publicRequest, SessionRequestError } from "./public-request";
export { ResetPasswordPage } from "./reset-password.page";
export { adoptSession, restoreSession, useSession } from "./session-store";
export { SignInPage } from "./sign-in.page";
export { tokenFromHash } from "./token-from-hash";
export { useCan, useViewer, ViewerProvider } from "./viewer";
