export { searchFiles } from './listSearch/files';
export { searchFolders } from './listSearch/folders';
export { searchJobs } from './listSearch/jobs';
