// The device's position for a report (navigator.geolocation, WGS84 degrees as the API stores them),
// or why there is none: permission denied, timed out, unavailable, or no geolocation at all.

export type PositionFailure = 'denied' | 'timeout' | 'unavailable' | 'unsupported';

export type DevicePosition = { ok: true; lngLat: [number, number]; accuracyMeters: number } | { ok: false; reason: PositionFailure };

/** GeolocationPositionError codes (the constants are not on the error object in every browser). */
const PERMISSION_DENIED = 1;
const TIMEOUT = 3;

export function locateDevice(geolocation: Geolocation | undefined, timeoutMs = 15_000): Promise<DevicePosition> {
  if (!geolocation) return Promise.resolve({ ok: false, reason: 'unsupported' });
  return new Promise((resolve) => {
    geolocation.getCurrentPosition(
      (position) => resolve({ ok: true, lngLat: [position.coords.longitude, position.coords.latitude], accuracyMeters: position.coords.accuracy }),
      (error) => resolve({ ok: false, reason: error.code === PERMISSION_DENIED ? 'denied' : error.code === TIMEOUT ? 'timeout' : 'unavailable' }),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60_000 },
    );
  });
}
