// WGS-84 ⇄ GCJ-02, the datum of 高德/腾讯 tiles. Our data stays WGS-84 (DESIGN.md section 4): points are
// shifted only to be drawn on GCJ-02 tiles, and a point picked on those tiles is shifted back before it
// is stored. The forward shift is the standard published approximation (≈1 m), defined inside China only.
const A = 6378245.0; // semi-major axis of Krasovsky 1940, which the GCJ-02 formula uses
const EE = 0.00669342162296594323; // its first eccentricity squared

export function outOfChina(lat, lng) {
  return lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function shiftLat(x, y) {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}

function shiftLng(x, y) {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

export function wgs84ToGcj02(lat, lng) {
  if (outOfChina(lat, lng)) return [lat, lng];
  let dLat = shiftLat(lng - 105, lat - 35);
  let dLng = shiftLng(lng - 105, lat - 35);
  const radLat = (lat / 180) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  dLng = (dLng * 180) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lat + dLat, lng + dLng];
}

// The formula has no closed-form inverse. The shift changes by only a few metres across the few hundred
// metres it moves a point, so subtracting the shift of the current guess converges fast: each step cuts the
// error by a factor of ~1,000 (in 苏州: 240 m → 0.4 m → 0.3 mm), so 1e-9° is reached in three or four steps.
export function gcj02ToWgs84(lat, lng) {
  if (outOfChina(lat, lng)) return [lat, lng];
  let wgsLat = lat;
  let wgsLng = lng;
  for (let step = 0; step < 10; step += 1) {
    const [gcjLat, gcjLng] = wgs84ToGcj02(wgsLat, wgsLng);
    const errLat = gcjLat - lat;
    const errLng = gcjLng - lng;
    wgsLat -= errLat;
    wgsLng -= errLng;
    if (Math.abs(errLat) < 1e-9 && Math.abs(errLng) < 1e-9) break;
  }
  return [wgsLat, wgsLng];
}
