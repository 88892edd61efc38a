/**
 * The registered virtio devices of one uvirtio instance: what register_virtio_device /
 * unregister_virtio_device add and remove. Each device gets the lowest free index, as the virtio
 * core's ida does (its name is `virtio<index>`). Tests read it to see which devices are alive —
 * a STICK device stays here after its fd is closed.
 */
export interface BusDevice {
  index: number;
}

export class VirtioBus<D extends BusDevice> {
  readonly #devices = new Map<number, D>();

  register(d: D): void {
    let i = 0;
    while (this.#devices.has(i)) i++;
    d.index = i;
    this.#devices.set(i, d);
  }

  unregister(d: D): void {
    if (this.#devices.get(d.index) !== d) throw new Error(`virtio${d.index} is not registered`);
    this.#devices.delete(d.index);
    d.index = -1;
  }

  /** The live devices by index. */
  get devices(): D[] {
    return [...this.#devices.keys()].sort((a, b) => a - b).map((i) => this.#devices.get(i)!);
  }

  get size(): number {
    return this.#devices.size;
  }
}
