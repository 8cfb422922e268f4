// Imported IP lists: what the worker wires and the routes call.
export { IpListService, BlocklistNotFoundError, type IpListServiceOptions } from './ip-list-service';
export { IpListState } from './ip-list-state';
