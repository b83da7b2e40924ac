/** A form submission with its busy flag and last error, as the auth forms need it. */
import { useState } from "react";

export function useSubmit<T>(action: (values: T) => Promise<void>) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const onFinish = async (values: T) => {
    setBusy(true);
    setError(null);
    try {
      await action(values);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, onFinish };
}
