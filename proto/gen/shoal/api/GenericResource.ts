// Original file: proto/shoal/api/types.proto

import type { NamedGenericResource as _shoal_api_NamedGenericResource, NamedGenericResource__Output as _shoal_api_NamedGenericResource__Output } from '../../shoal/api/NamedGenericResource.ts';
import type { DiscreteGenericResource as _shoal_api_DiscreteGenericResource, DiscreteGenericResource__Output as _shoal_api_DiscreteGenericResource__Output } from '../../shoal/api/DiscreteGenericResource.ts';

export interface GenericResource {
  'namedResourceSpec'?: (_shoal_api_NamedGenericResource | null);
  'discreteResourceSpec'?: (_shoal_api_DiscreteGenericResource | null);
}

export interface GenericResource__Output {
  'namedResourceSpec': (_shoal_api_NamedGenericResource__Output | null);
  'discreteResourceSpec': (_shoal_api_DiscreteGenericResource__Output | null);
}
