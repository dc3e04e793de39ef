export async function serveCommand(_o: unknown): Promise<void> {}
