// (filled in by this session's numpy additions)
export {};
