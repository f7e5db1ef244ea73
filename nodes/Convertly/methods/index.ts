export { searchJobs } from './listSearch/jobs';
