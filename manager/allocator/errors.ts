/**
 * The allocator's errors. The control API throws the InvalidArgument ones back to the user before a
 * spec is stored; the loop turns PoolExhaustedError into a task's status message.
 */
import { FailedPreconditionError, InvalidArgumentError } from '../../proto/shared/errors.ts';

/**
 * A pool (subnets, VNIs, addresses of one network, published ports) has nothing free. Retryable: it
 * succeeds once something is released.
 */
export class PoolExhaustedError extends FailedPreconditionError {
  constructor(
    message: string,
    /** What ran out: `subnets`, `vnis`, `ports/tcp`, or `network/<id>` for a network's addresses. */
    readonly pool: string,
  ) {
    super(message);
  }

  override get retryable(): boolean {
    return true;
  }
}

/** A subnet given by the user overlaps one that another network already has. */
export class SubnetOverlapError extends InvalidArgumentError {
  constructor(
    readonly subnet: string,
    readonly otherSubnet: string,
    /** The network holding `otherSubnet` (its name). */
    readonly otherNetwork: string,
  ) {
    super(`subnet ${subnet} overlaps subnet ${otherSubnet} of network ${otherNetwork}`, 'IPAM.Config.Subnet');
  }
}

/** A published port given by the user is held by another service (Docker's wording). */
export class PortInUseError extends InvalidArgumentError {
  constructor(
    readonly port: number,
    readonly protocol: string,
    readonly serviceName: string,
    readonly serviceId: string,
  ) {
    super(
      `port '${port}' (${protocol}) is already in use by service '${serviceName}' (${serviceId}) as an ingress port`,
      'EndpointSpec.Ports.PublishedPort',
    );
  }
}
