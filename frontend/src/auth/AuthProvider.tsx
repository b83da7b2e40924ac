/** Holds the signed-in user; checks a stored session on load and reacts to expiry. */
import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import { api, onSessionExpired } from "../api/instance";
import type { TokenPair, User } from "../api/types";
import { AuthContext, type Auth } from "./context";

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(api.signedIn ? undefined : null);
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    if (!api.signedIn) return;
    let live = true;
    api
      .get<User>("/auth/me")
      .then((me) => live && setUser(me))
      .catch(() => live && setUser(null));
    return () => {
      live = false;
    };
  }, []);

  useEffect(
    () =>
      onSessionExpired(() => {
        setExpired(true);
        setUser(null);
      }),
    [],
  );

  const login = useCallback(async (email: string, password: string) => {
    const tokens = await api.request<TokenPair>("POST", "/auth/login", {
      body: { email, password },
      anonymous: true,
    });
    api.setTokens(tokens);
    const me = await api.get<User>("/auth/me");
    setExpired(false);
    setUser(me);
  }, []);

  const register = useCallback(
    async (email: string, username: string, password: string) => {
      await api.request("POST", "/auth/register", { body: { email, username, password }, anonymous: true });
      await login(email, password);
    },
    [login],
  );

  const logout = useCallback(async () => {
    await api.logout();
    setExpired(false);
    setUser(null);
  }, []);

  const value = useMemo<Auth>(
    () => ({ user, expired, login, register, logout }),
    [user, expired, login, register, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
