export { searchJobs } from './listSearch';
