export { searchFiles } from './listSearch/files';
export { searchFolders } from './listSearch/folders';
export { searchCancellableJobs, searchJobs } from './listSearch/jobs';
