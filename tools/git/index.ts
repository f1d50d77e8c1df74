// The git the suite's own release needs beyond what generate-version ships (packages/publishing/src/git):
// the commit log, remote refs and moving tags, the work tree.
export { listCommits, type GitCommit } from './log.js';
export { listRemoteRefs, pushRefs, setMovingTag, type RemoteRefs } from './refs.js';
export { commitPaths, currentBranch, isAncestor, workTreeChanges } from './worktree.js';
