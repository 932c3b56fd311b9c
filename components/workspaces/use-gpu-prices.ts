"use client";

import { useCallback, useEffect, useState } from "react";

const STORAGE_KEY = "kaito-dashboard.gpu-prices";

/**
 * Hourly prices per instance type: the server's defaults, overridden by what the user typed
 * in the price table. Prices differ per contract and region, so they stay in this browser.
 */
export function useGpuPrices(defaults: Record<string, number>) {
  const [overrides, setOverrides] = useState<Record<string, number>>({});
  useEffect(() => {
    try {
      const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "{}") as Record<string, number>;
      // Reading localStorage must wait for the client; the server render uses the defaults.
      setOverrides(stored);
    } catch {
      setOverrides({});
    }
  }, []);
  const setPrice = useCallback((instanceType: string, price: number | null) => {
    setOverrides((previous) => {
      const next = { ...previous };
      if (price === null || Number.isNaN(price)) delete next[instanceType];
      else next[instanceType] = price;
      localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
      return next;
    });
  }, []);
  return { prices: { ...defaults, ...overrides }, overrides, setPrice };
}
