// (filled in by this session's linalg additions)
export {};
