// The device's position for a report: WGS84 [lng, lat] from the Geolocation API, and each way it can
// fail (permission denied, timeout, unavailable, no API) named so the form can say what to do instead.

import { describe, expect, it } from 'vitest';
import { locateDevice } from '../../client/src/modes/report/device-position';

/** A Geolocation that answers getCurrentPosition with a position or an error code, and records its options. */
function fakeGeolocation(answer: { lng: number; lat: number } | { code: number }) {
  const asked: PositionOptions[] = [];
  const geolocation = {
    getCurrentPosition(success: PositionCallback, failure?: PositionErrorCallback | null, options?: PositionOptions) {
      asked.push(options ?? {});
      if ('code' in answer) failure?.({ code: answer.code, message: 'x', PERMISSION_DENIED: 1, POSITION_UNAVAILABLE: 2, TIMEOUT: 3 });
      else success({ coords: { longitude: answer.lng, latitude: answer.lat, accuracy: 12 } } as GeolocationPosition);
    },
  } as unknown as Geolocation;
  return { geolocation, asked };
}

describe('locateDevice', () => {
  it('answers [lng, lat] and the accuracy, asking for a precise fix within the timeout', async () => {
    const { geolocation, asked } = fakeGeolocation({ lng: 123.45, lat: 41.79 });
    expect(await locateDevice(geolocation, 5_000)).toEqual({ ok: true, lngLat: [123.45, 41.79], accuracyMeters: 12 });
    expect(asked).toEqual([{ enableHighAccuracy: true, timeout: 5_000, maximumAge: 60_000 }]);
  });

  it('names the failure: denied (1), unavailable (2), timeout (3), no geolocation at all', async () => {
    const reasons = [];
    for (const code of [1, 2, 3]) reasons.push(await locateDevice(fakeGeolocation({ code }).geolocation));
    reasons.push(await locateDevice(undefined));
    expect(reasons).toEqual([
      { ok: false, reason: 'denied' },
      { ok: false, reason: 'unavailable' },
      { ok: false, reason: 'timeout' },
      { ok: false, reason: 'unsupported' },
    ]);
  });
});
