/** The auth context: the signed-in user and the sign-in / register / sign-out actions. */
import { createContext, useContext } from "react";
import type { User } from "../api/types";

export interface Auth {
  /** undefined while the stored session is being checked, null when signed out. */
  user: User | null | undefined;
  /** Set when the session ended because it expired (cleared on the next sign-in). */
  expired: boolean;
  login: (email: string, password: string) => Promise<void>;
  register: (email: string, username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
}

export const AuthContext = createContext<Auth | null>(null);

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useAuth outside AuthProvider");
  return auth;
}
