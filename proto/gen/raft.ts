import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { JoinRequest as _shoal_api_JoinRequest, JoinRequest__Output as _shoal_api_JoinRequest__Output } from './shoal/api/JoinRequest.ts';
import type { JoinResponse as _shoal_api_JoinResponse, JoinResponse__Output as _shoal_api_JoinResponse__Output } from './shoal/api/JoinResponse.ts';
import type { LeaveRequest as _shoal_api_LeaveRequest, LeaveRequest__Output as _shoal_api_LeaveRequest__Output } from './shoal/api/LeaveRequest.ts';
import type { LeaveResponse as _shoal_api_LeaveResponse, LeaveResponse__Output as _shoal_api_LeaveResponse__Output } from './shoal/api/LeaveResponse.ts';
import type { ProcessRaftMessageResponse as _shoal_api_ProcessRaftMessageResponse, ProcessRaftMessageResponse__Output as _shoal_api_ProcessRaftMessageResponse__Output } from './shoal/api/ProcessRaftMessageResponse.ts';
import type { RaftClient as _shoal_api_RaftClient, RaftDefinition as _shoal_api_RaftDefinition } from './shoal/api/Raft.ts';
import type { RaftConfState as _shoal_api_RaftConfState, RaftConfState__Output as _shoal_api_RaftConfState__Output } from './shoal/api/RaftConfState.ts';
import type { RaftEntry as _shoal_api_RaftEntry, RaftEntry__Output as _shoal_api_RaftEntry__Output } from './shoal/api/RaftEntry.ts';
import type { RaftMember as _shoal_api_RaftMember, RaftMember__Output as _shoal_api_RaftMember__Output } from './shoal/api/RaftMember.ts';
import type { RaftMembershipClient as _shoal_api_RaftMembershipClient, RaftMembershipDefinition as _shoal_api_RaftMembershipDefinition } from './shoal/api/RaftMembership.ts';
import type { RaftMessage as _shoal_api_RaftMessage, RaftMessage__Output as _shoal_api_RaftMessage__Output } from './shoal/api/RaftMessage.ts';
import type { RaftMessageBatch as _shoal_api_RaftMessageBatch, RaftMessageBatch__Output as _shoal_api_RaftMessageBatch__Output } from './shoal/api/RaftMessageBatch.ts';
import type { RaftSnapshotMeta as _shoal_api_RaftSnapshotMeta, RaftSnapshotMeta__Output as _shoal_api_RaftSnapshotMeta__Output } from './shoal/api/RaftSnapshotMeta.ts';
import type { ResolveAddressRequest as _shoal_api_ResolveAddressRequest, ResolveAddressRequest__Output as _shoal_api_ResolveAddressRequest__Output } from './shoal/api/ResolveAddressRequest.ts';
import type { ResolveAddressResponse as _shoal_api_ResolveAddressResponse, ResolveAddressResponse__Output as _shoal_api_ResolveAddressResponse__Output } from './shoal/api/ResolveAddressResponse.ts';
import type { SnapshotChunk as _shoal_api_SnapshotChunk, SnapshotChunk__Output as _shoal_api_SnapshotChunk__Output } from './shoal/api/SnapshotChunk.ts';
import type { StreamSnapshotResponse as _shoal_api_StreamSnapshotResponse, StreamSnapshotResponse__Output as _shoal_api_StreamSnapshotResponse__Output } from './shoal/api/StreamSnapshotResponse.ts';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  shoal: {
    api: {
      JoinRequest: MessageTypeDefinition<_shoal_api_JoinRequest, _shoal_api_JoinRequest__Output>
      JoinResponse: MessageTypeDefinition<_shoal_api_JoinResponse, _shoal_api_JoinResponse__Output>
      LeaveRequest: MessageTypeDefinition<_shoal_api_LeaveRequest, _shoal_api_LeaveRequest__Output>
      LeaveResponse: MessageTypeDefinition<_shoal_api_LeaveResponse, _shoal_api_LeaveResponse__Output>
      ProcessRaftMessageResponse: MessageTypeDefinition<_shoal_api_ProcessRaftMessageResponse, _shoal_api_ProcessRaftMessageResponse__Output>
      /**
       * Raft carries consensus traffic between managers.
       */
      Raft: SubtypeConstructor<typeof grpc.Client, _shoal_api_RaftClient> & { service: _shoal_api_RaftDefinition }
      RaftConfState: MessageTypeDefinition<_shoal_api_RaftConfState, _shoal_api_RaftConfState__Output>
      RaftEntry: MessageTypeDefinition<_shoal_api_RaftEntry, _shoal_api_RaftEntry__Output>
      RaftMember: MessageTypeDefinition<_shoal_api_RaftMember, _shoal_api_RaftMember__Output>
      /**
       * RaftMembership lets a manager join or leave the raft group.
       */
      RaftMembership: SubtypeConstructor<typeof grpc.Client, _shoal_api_RaftMembershipClient> & { service: _shoal_api_RaftMembershipDefinition }
      RaftMessage: MessageTypeDefinition<_shoal_api_RaftMessage, _shoal_api_RaftMessage__Output>
      RaftMessageBatch: MessageTypeDefinition<_shoal_api_RaftMessageBatch, _shoal_api_RaftMessageBatch__Output>
      RaftSnapshotMeta: MessageTypeDefinition<_shoal_api_RaftSnapshotMeta, _shoal_api_RaftSnapshotMeta__Output>
      ResolveAddressRequest: MessageTypeDefinition<_shoal_api_ResolveAddressRequest, _shoal_api_ResolveAddressRequest__Output>
      ResolveAddressResponse: MessageTypeDefinition<_shoal_api_ResolveAddressResponse, _shoal_api_ResolveAddressResponse__Output>
      SnapshotChunk: MessageTypeDefinition<_shoal_api_SnapshotChunk, _shoal_api_SnapshotChunk__Output>
      StreamSnapshotResponse: MessageTypeDefinition<_shoal_api_StreamSnapshotResponse, _shoal_api_StreamSnapshotResponse__Output>
    }
  }
}

