/**
 * sim_telarray's EventIO object types (io_hess.h, CORSIKA IACT io), with the
 * names pyeventio gives them, and the telescope id packing of the telescope
 * event (2200+) and tracking (2100+) containers: type = base + tel_id % 100
 * + 1000 * (tel_id / 100).
 */
export const OBJECT_NAMES: Record<number, string> = {
  70: 'History',
  71: 'HistoryCommandLine',
  72: 'HistoryConfig',
  75: 'HistoryMeta',
  100: 'Histograms',
  1200: 'CorsikaRunHeader',
  1201: 'TelescopeDefinition',
  1202: 'CorsikaEventHeader',
  1203: 'ArrayOffsets',
  1204: 'TelescopeData',
  1205: 'Photons',
  1206: 'CameraLayout',
  1207: 'TriggerTime',
  1208: 'PhotoElectrons',
  1209: 'CorsikaEventEnd',
  1210: 'CorsikaRunEnd',
  1211: 'Longitudinal',
  1212: 'InputCard',
  1213: 'TelescopeArrayHead',
  1214: 'TelescopeArrayEnd',
  1215: 'MCExtraParams',
  1216: 'AtmosphericProfile',
  2000: 'RunHeader',
  2001: 'MCRunHeader',
  2002: 'CameraSettings',
  2003: 'CameraOrganization',
  2004: 'PixelSettings',
  2005: 'DisabledPixels',
  2006: 'CameraSoftwareSettings',
  2007: 'PointingCorrection',
  2008: 'DriveSettings',
  2009: 'TriggerInformation',
  2010: 'ArrayEvent',
  2011: 'TelescopeEventHeader',
  2012: 'ADCSums',
  2013: 'ADCSamples',
  2014: 'ImageParameters',
  2015: 'StereoReconstruction',
  2016: 'PixelTiming',
  2017: 'PixelCalibration',
  2020: 'MCShower',
  2021: 'MCEvent',
  2022: 'CameraMonitoring',
  2023: 'LaserCalibration',
  2024: 'RunStatistics',
  2025: 'MCRunStatistics',
  2026: 'MCPhotoelectronSum',
  2027: 'PixelList',
  2028: 'CalibrationEvent',
  2029: 'AuxiliaryDigitalTraces',
  2030: 'AuxiliaryAnalogTraces',
  2031: 'FSPhot',
  2032: 'PixelTriggerTimes',
  2033: 'PixelMonitoring',
  2034: 'CalibrationPhotoelectrons',
};

/** Telescope id of a telescope event container type (2200 + ..., pyeventio's TelescopeEvent.type_to_telid). */
export function telescopeEventTelId(type: number): number {
  const base = type - 2200;
  return 100 * Math.floor(base / 1000) + (base % 1000);
}

/** Telescope id of a tracking position type (2100 + ..., pyeventio's TrackingPosition.type_to_telid). */
export function trackingTelId(type: number): number {
  const base = type - 2100;
  return 100 * Math.floor(base / 1000) + (base % 1000);
}

/** Whether `type` is a telescope event container (2200 + tel_id % 100 + 1000 * (tel_id / 100), tel_id < 1000). */
export function isTelescopeEventType(type: number): boolean {
  return type >= 2200 && (type - 2200) % 1000 < 100 && type < 2200 + 10 * 1000;
}

/** Whether `type` is a tracking position (2100 + tel_id % 100 + 1000 * (tel_id / 100), tel_id < 1000). */
export function isTrackingType(type: number): boolean {
  return type >= 2100 && (type - 2100) % 1000 < 100 && type < 2100 + 10 * 1000;
}

/** A readable name for an object type. */
export function objectName(type: number): string {
  if (OBJECT_NAMES[type]) return OBJECT_NAMES[type];
  if (isTelescopeEventType(type)) return `TelescopeEvent(tel ${telescopeEventTelId(type)})`;
  if (isTrackingType(type)) return `TrackingPosition(tel ${trackingTelId(type)})`;
  return `unknown type ${type}`;
}
