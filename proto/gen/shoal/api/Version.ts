// Original file: proto/shoal/api/types.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Version is the optimistic-concurrency token of every stored object: Index is the raft index of
 * the object's last change. An update carrying a stale Index fails ("update out of sequence").
 */
export interface Version {
  'index'?: (number | string | Long);
}

/**
 * Version is the optimistic-concurrency token of every stored object: Index is the raft index of
 * the object's last change. An update carrying a stale Index fails ("update out of sequence").
 */
export interface Version__Output {
  'index': (number);
}
