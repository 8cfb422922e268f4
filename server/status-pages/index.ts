export { StatusPageService, PUBLIC_VIEW_TTL_MS, type StatusPageListing, type StatusPageServiceOptions } from './status-page-service';
export { StatusPageError } from './status-page-error';
