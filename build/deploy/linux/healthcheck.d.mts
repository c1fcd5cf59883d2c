export function decide(previousFailures: number, healthy: boolean, limit: number): { failures: number; restart: boolean };
export function checkOnce(url: string, timeoutMs?: number): Promise<{ healthy: boolean; why: string }>;
