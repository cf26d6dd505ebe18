/**
 * The ctapipe DL1 layout, in one place: every group and table path
 * ctapipe 0.26 reads and writes, the tel_NNN table names, the constants of
 * its data model (TAI − UTC, the data model version) and the columns Lightpool
 * writes for ctapipe — name, dtype, and the container field, description and
 * unit ctapipe stores as CTAFIELD_i_* attributes (its table reader maps
 * columns to fields and units by them). The event-table columns were taken
 * from the tables ctapipe-process wrote into
 * test/fixtures/samples/dl1_sample_120.blosc.h5 (parameters in the telescope
 * frame), in its column order. Readers, writers, export, process, the live
 * recorder and the backend's file services all take their paths from here.
 */
import type { ColumnSpec } from './table-rows.js';

/** ctapipe's version, which it writes as CTAPIPE_VERSION beside the columns */
export const CTAPIPE_TABLE_VERSION = '0.26.0';
/** ctapipe 0.26's data model: its HDF5EventSource opens files of this version */
export const DATA_MODEL_VERSION = 'v7.1.0';

/** Group and table paths of a ctapipe DL1 file. */
export const DL1_PATHS = {
  subarrayLayout: '/configuration/instrument/subarray/layout',
  optics: '/configuration/instrument/telescope/optics',
  /** geometry_<camera> and readout_<camera> tables */
  cameras: '/configuration/instrument/telescope/camera',
  /** tel_NNN tables */
  telescopePointing: '/configuration/telescope/pointing',
  observationBlock: '/configuration/observation/observation_block',
  schedulingBlock: '/configuration/observation/scheduling_block',
  subarrayTrigger: '/dl1/event/subarray/trigger',
  /** tel_NNN tables of raw waveforms (DataWriter.write_r0_waveforms): waveform (gains, pixels, samples) ADC */
  r0Waveforms: '/r0/event/telescope',
  /** tel_NNN tables of calibrated waveforms (write_r1_waveforms): waveform (1, pixels, samples) p.e., selected_gain_channel, pixel_status */
  r1Waveforms: '/r1/event/telescope',
  telescopeTrigger: '/dl1/event/telescope/trigger',
  /** tel_NNN tables: raw ADC waveforms (R0CameraContainer) */
  r0: '/r0/event/telescope',
  /** tel_NNN tables: calibrated waveforms (R1CameraContainer) */
  r1: '/r1/event/telescope',
  /** SimulationConfigContainer per obs_id */
  simulationRun: '/configuration/simulation/run',
  /** tel_NNN tables: image, peak_time, image_mask */
  images: '/dl1/event/telescope/images',
  /** tel_NNN tables */
  parameters: '/dl1/event/telescope/parameters',
  /** ImageQualityQuery counts */
  imageStatistics: '/dl1/service/image_statistics',
  simImages: '/simulation/event/telescope/images',
  simParameters: '/simulation/event/telescope/parameters',
  simImpact: '/simulation/event/telescope/impact',
  shower: '/simulation/event/subarray/shower',
  dl2: '/dl2',
  dl2Service: '/dl2/service',
  /** <reconstructor> tables */
  dl2Geometry: '/dl2/event/subarray/geometry',
  /** <reconstructor>/tel_NNN tables */
  dl2Impact: '/dl2/event/telescope/impact',
  /** StereoQualityQuery counts per reconstructor */
  telEventStatistics: '/dl2/service/tel_event_statistics',
} as const;

/** The stereo reconstructor ctapipe-process runs by default, and Lightpool's. */
export const HILLAS_RECONSTRUCTOR = 'HillasReconstructor';

/** ctapipe's per-telescope table name: tel_001 */
export function telTableName(telId: number): string {
  return `tel_${String(telId).padStart(3, '0')}`;
}

/** a per-telescope table under `group` */
export function telTablePath(group: string, telId: number): string {
  return `${group}/${telTableName(telId)}`;
}

/** a camera's geometry table (`camera` is the name, or the index ctapipe >= 0.19 uses) */
export const cameraGeometryPath = (camera: string | number) => `${DL1_PATHS.cameras}/geometry_${camera}`;
/** a camera's readout table */
export const cameraReadoutPath = (camera: string | number) => `${DL1_PATHS.cameras}/readout_${camera}`;

/** TAI − UTC since 2017-01-01, s (ctapipe's ctao_high_res times are TAI seconds since 1970-01-01 TAI) */
export const TAI_MINUS_UTC_S = 37;

/** ctapipe's descriptions of the index fields */
export const OBS_ID_DESCRIPTION = 'Observation Block ID';
export const EVENT_ID_DESCRIPTION = 'Array Event ID';
export const TEL_ID_DESCRIPTION = 'Telescope ID';
export const OBS_ID_COLUMN: ColumnSpec = { name: 'obs_id', type: 'i8', field: 'obs_id', desc: OBS_ID_DESCRIPTION };
export const EVENT_ID_COLUMN: ColumnSpec = { name: 'event_id', type: 'i8', field: 'event_id', desc: EVENT_ID_DESCRIPTION };
export const TEL_ID_COLUMN: ColumnSpec = { name: 'tel_id', type: 'i2', field: 'tel_id', desc: TEL_ID_DESCRIPTION };

/** /dl1/event/subarray/trigger (TriggerContainer) for a subarray of `nTel` telescopes */
export function subarrayTriggerColumns(nTel: number): ColumnSpec[] {
  return [
    OBS_ID_COLUMN,
    EVENT_ID_COLUMN,
    { name: 'time', type: 'u4', shape: [2], field: 'time', desc: 'central average time stamp' },
    { name: 'tels_with_trigger', type: 'b1', shape: [nTel], field: 'tels_with_trigger', desc: 'List of telescope ids that triggered the array event' },
    { name: 'event_type', type: 'i8', field: 'event_type', desc: 'Event type' },
  ];
}

/** /dl1/event/telescope/trigger (TelescopeTriggerContainer) */
export const TELESCOPE_TRIGGER_COLUMNS: readonly ColumnSpec[] = [
  OBS_ID_COLUMN,
  EVENT_ID_COLUMN,
  TEL_ID_COLUMN,
  { name: 'time', type: 'u4', shape: [2], field: 'time', desc: 'Telescope trigger time' },
  { name: 'n_trigger_pixels', type: 'i8', field: 'n_trigger_pixels', desc: 'Number of trigger groups (sectors) listed' },
];

/** /dl1/event/telescope/images/tel_NNN (DL1CameraContainer) for a camera of `nPixels` pixels */
export function imageColumns(nPixels: number): ColumnSpec[] {
  return [
    OBS_ID_COLUMN,
    EVENT_ID_COLUMN,
    TEL_ID_COLUMN,
    { name: 'image', type: 'f4', shape: [nPixels], field: 'image', desc: 'Numpy array of camera image, after waveform extraction.' },
    {
      name: 'peak_time',
      type: 'f4',
      shape: [nPixels],
      field: 'peak_time',
      desc: 'Numpy array containing position of the peak of the pulse as determined by the extractor.',
    },
    { name: 'image_mask', type: 'b1', shape: [nPixels], field: 'image_mask', desc: 'Boolean numpy array where True means the pixel has passed cleaning.' },
    { name: 'is_valid', type: 'b1', field: 'is_valid', desc: 'True if image extraction succeeded' },
  ];
}

/** /dl1/event/telescope/parameters/tel_NNN (ImageParametersContainer, telescope frame, and core_psi) */
export const PARAMETER_COLUMNS: readonly ColumnSpec[] = [
  OBS_ID_COLUMN,
  EVENT_ID_COLUMN,
  TEL_ID_COLUMN,
  { name: 'hillas_intensity', type: 'f8', field: 'intensity', desc: 'total intensity (size)' },
  { name: 'hillas_skewness', type: 'f8', field: 'skewness', desc: 'measure of the asymmetry' },
  { name: 'hillas_kurtosis', type: 'f8', field: 'kurtosis', desc: 'measure of the tailedness' },
  { name: 'hillas_fov_lon', type: 'f8', field: 'fov_lon', desc: 'longitude angle in a spherical system centered on the pointing position', unit: 'deg' },
  { name: 'hillas_fov_lat', type: 'f8', field: 'fov_lat', desc: 'latitude angle in a spherical system centered on the pointing position', unit: 'deg' },
  { name: 'hillas_r', type: 'f8', field: 'r', desc: 'radial coordinate of centroid', unit: 'deg' },
  { name: 'hillas_phi', type: 'f8', field: 'phi', desc: 'polar coordinate of centroid', unit: 'deg' },
  { name: 'hillas_length', type: 'f8', field: 'length', desc: 'standard deviation along the major-axis', unit: 'deg' },
  { name: 'hillas_length_uncertainty', type: 'f8', field: 'length_uncertainty', desc: 'uncertainty of length', unit: 'deg' },
  { name: 'hillas_width', type: 'f8', field: 'width', desc: 'standard spread along the minor-axis', unit: 'deg' },
  { name: 'hillas_width_uncertainty', type: 'f8', field: 'width_uncertainty', desc: 'uncertainty of width', unit: 'deg' },
  { name: 'hillas_psi', type: 'f8', field: 'psi', desc: 'rotation angle of ellipse', unit: 'deg' },
  { name: 'hillas_psi_uncertainty', type: 'f8', field: 'psi_uncertainty', desc: 'uncertainty of psi', unit: 'deg' },
  {
    name: 'hillas_transverse_cog_uncertainty',
    type: 'f8',
    field: 'transverse_cog_uncertainty',
    desc: 'uncertainty on the center of gravity along the transverse axis of the image',
    unit: 'deg',
  },
  { name: 'timing_intercept', type: 'f8', field: 'intercept', desc: 'intercept of arrival times along main shower axis' },
  { name: 'timing_deviation', type: 'f8', field: 'deviation', desc: 'Root-mean-square deviation of the pulse times with respect to the predicted time' },
  { name: 'timing_slope', type: 'f8', field: 'slope', desc: 'Slope of arrival times along main shower axis', unit: 'deg**-1' },
  { name: 'leakage_pixels_width_1', type: 'f8', field: 'pixels_width_1', desc: 'fraction of pixels after cleaning that are in camera border of width=1' },
  { name: 'leakage_pixels_width_2', type: 'f8', field: 'pixels_width_2', desc: 'fraction of pixels after cleaning that are in camera border of width=2' },
  {
    name: 'leakage_intensity_width_1',
    type: 'f4',
    field: 'intensity_width_1',
    desc: 'Intensity in photo-electrons after cleaning that are in the camera border of width=1 pixel',
  },
  {
    name: 'leakage_intensity_width_2',
    type: 'f4',
    field: 'intensity_width_2',
    desc: 'Intensity in photo-electrons after cleaning that are in the camera border of width=2 pixels',
  },
  { name: 'concentration_cog', type: 'f8', field: 'cog', desc: 'Percentage of photo-electrons inside one pixel diameter of the cog' },
  { name: 'concentration_core', type: 'f8', field: 'core', desc: 'Percentage of photo-electrons inside the hillas ellipse' },
  { name: 'concentration_pixel', type: 'f8', field: 'pixel', desc: 'Percentage of photo-electrons in the brightest pixel' },
  { name: 'morphology_n_pixels', type: 'i8', field: 'n_pixels', desc: 'Number of usable pixels' },
  { name: 'morphology_n_islands', type: 'i8', field: 'n_islands', desc: 'Number of distinct islands in the image' },
  { name: 'morphology_n_small_islands', type: 'i8', field: 'n_small_islands', desc: 'Number of <= 2 pixel islands' },
  { name: 'morphology_n_medium_islands', type: 'i8', field: 'n_medium_islands', desc: 'Number of 2-50 pixel islands' },
  { name: 'morphology_n_large_islands', type: 'i8', field: 'n_large_islands', desc: 'Number of > 50 pixel islands' },
  { name: 'intensity_max', type: 'f4', field: 'max', desc: 'value of pixel with maximum intensity' },
  { name: 'intensity_min', type: 'f4', field: 'min', desc: 'value of pixel with minimum intensity' },
  { name: 'intensity_mean', type: 'f4', field: 'mean', desc: 'mean intensity' },
  { name: 'intensity_std', type: 'f4', field: 'std', desc: 'standard deviation of intensity' },
  { name: 'intensity_skewness', type: 'f8', field: 'skewness', desc: 'skewness of intensity' },
  { name: 'intensity_kurtosis', type: 'f8', field: 'kurtosis', desc: 'kurtosis of intensity' },
  { name: 'peak_time_max', type: 'f4', field: 'max', desc: 'value of pixel with maximum intensity' },
  { name: 'peak_time_min', type: 'f4', field: 'min', desc: 'value of pixel with minimum intensity' },
  { name: 'peak_time_mean', type: 'f4', field: 'mean', desc: 'mean intensity' },
  { name: 'peak_time_std', type: 'f4', field: 'std', desc: 'standard deviation of intensity' },
  { name: 'peak_time_skewness', type: 'f8', field: 'skewness', desc: 'skewness of intensity' },
  { name: 'peak_time_kurtosis', type: 'f8', field: 'kurtosis', desc: 'kurtosis of intensity' },
  { name: 'core_psi', type: 'f8', field: 'psi', desc: 'Image direction in the Tilted/Ground Frame', unit: 'deg' },
];

/** /dl2/event/subarray/geometry/HillasReconstructor (ReconstructedGeometryContainer; `telescopes` is a mask over the subarray telescopes, its shape set per file) */
export const GEOMETRY_COLUMNS: readonly ColumnSpec[] = [
  OBS_ID_COLUMN,
  EVENT_ID_COLUMN,
  { name: 'HillasReconstructor_alt', type: 'f8', field: 'alt', desc: 'reconstructed altitude', unit: 'deg' },
  { name: 'HillasReconstructor_alt_uncert', type: 'f8', field: 'alt_uncert', desc: 'reconstructed altitude uncertainty', unit: 'deg' },
  { name: 'HillasReconstructor_az', type: 'f8', field: 'az', desc: 'reconstructed azimuth', unit: 'deg' },
  { name: 'HillasReconstructor_az_uncert', type: 'f8', field: 'az_uncert', desc: 'reconstructed azimuth uncertainty', unit: 'deg' },
  {
    name: 'HillasReconstructor_ang_distance_uncert',
    type: 'f8',
    field: 'ang_distance_uncert',
    desc: 'uncertainty radius of reconstructed altitude-azimuth position',
    unit: 'deg',
  },
  { name: 'HillasReconstructor_core_x', type: 'f8', field: 'core_x', desc: 'reconstructed x coordinate of the core position', unit: 'm' },
  { name: 'HillasReconstructor_core_y', type: 'f8', field: 'core_y', desc: 'reconstructed y coordinate of the core position', unit: 'm' },
  {
    name: 'HillasReconstructor_core_uncert_x',
    type: 'f8',
    field: 'core_uncert_x',
    desc: 'reconstructed core position uncertainty along ground frame X axis',
    unit: 'm',
  },
  {
    name: 'HillasReconstructor_core_uncert_y',
    type: 'f8',
    field: 'core_uncert_y',
    desc: 'reconstructed core position uncertainty along ground frame Y axis',
    unit: 'm',
  },
  { name: 'HillasReconstructor_core_tilted_x', type: 'f8', field: 'core_tilted_x', desc: 'reconstructed x coordinate of the core position', unit: 'm' },
  { name: 'HillasReconstructor_core_tilted_y', type: 'f8', field: 'core_tilted_y', desc: 'reconstructed y coordinate of the core position', unit: 'm' },
  {
    name: 'HillasReconstructor_core_tilted_uncert_x',
    type: 'f8',
    field: 'core_tilted_uncert_x',
    desc: 'reconstructed core position uncertainty along tilted frame X axis',
    unit: 'm',
  },
  {
    name: 'HillasReconstructor_core_tilted_uncert_y',
    type: 'f8',
    field: 'core_tilted_uncert_y',
    desc: 'reconstructed core position uncertainty along tilted frame Y axis',
    unit: 'm',
  },
  { name: 'HillasReconstructor_h_max', type: 'f8', field: 'h_max', desc: 'reconstructed vertical height above sea level of the shower maximum', unit: 'm' },
  { name: 'HillasReconstructor_h_max_uncert', type: 'f8', field: 'h_max_uncert', desc: 'uncertainty of h_max', unit: 'm' },
  {
    name: 'HillasReconstructor_is_valid',
    type: 'b1',
    field: 'is_valid',
    desc: 'Geometry validity flag. True if the shower geometrywas properly reconstructed by the algorithm',
  },
  {
    name: 'HillasReconstructor_average_intensity',
    type: 'f8',
    field: 'average_intensity',
    desc: 'average intensity of the intensities used for reconstruction',
  },
  { name: 'HillasReconstructor_goodness_of_fit', type: 'f8', field: 'goodness_of_fit', desc: 'measure of algorithm success (if fit)' },
  {
    name: 'HillasReconstructor_telescopes',
    type: 'b1',
    field: 'telescopes',
    desc: 'Telescopes used if stereo, or None if Mono',
    transform: 'tel_list_to_mask',
  },
];

/** /dl2/event/telescope/impact/HillasReconstructor/tel_NNN (TelescopeImpactParameterContainer) */
export const IMPACT_COLUMNS: readonly ColumnSpec[] = [
  OBS_ID_COLUMN,
  EVENT_ID_COLUMN,
  TEL_ID_COLUMN,
  { name: 'HillasReconstructor_tel_impact_distance', type: 'f8', field: 'distance', desc: 'distance of the telescope to the shower axis', unit: 'm' },
  { name: 'HillasReconstructor_tel_impact_distance_uncert', type: 'f8', field: 'distance_uncert', desc: 'uncertainty in impact_parameter', unit: 'm' },
];

/** /simulation/event/telescope/impact/tel_NNN (TelescopeImpactParameterContainer, prefix true_impact): each telescope's distance to the true shower axis */
export const SIM_IMPACT_COLUMNS: readonly ColumnSpec[] = [
  OBS_ID_COLUMN,
  EVENT_ID_COLUMN,
  TEL_ID_COLUMN,
  { name: 'true_impact_distance', type: 'f8', field: 'distance', desc: 'distance of the telescope to the shower axis', unit: 'm' },
  { name: 'true_impact_distance_uncert', type: 'f8', field: 'distance_uncert', desc: 'uncertainty in impact_parameter', unit: 'm' },
];

/** /r0/event/telescope/tel_NNN (R0CameraContainer): raw ADC counts, (gains, pixels, samples); uint32 for a camera that sends ADC sums */
export function r0Columns(nGains: number, nPixels: number, nSamples: number, type: 'u2' | 'u4' = 'u2'): ColumnSpec[] {
  return [
    OBS_ID_COLUMN,
    EVENT_ID_COLUMN,
    TEL_ID_COLUMN,
    {
      name: 'waveform',
      type,
      shape: [nGains, nPixels, nSamples],
      field: 'waveform',
      desc: 'numpy array containing ADC samples: (n_channels, n_pixels, n_samples)',
    },
  ];
}

/** /r1/event/telescope/tel_NNN (R1CameraContainer): p.e. per sample, (1 gain-selected channel, pixels, samples); event_time is ctao_high_res TAI */
export function r1Columns(nChannels: number, nPixels: number, nSamples: number): ColumnSpec[] {
  return [
    OBS_ID_COLUMN,
    EVENT_ID_COLUMN,
    TEL_ID_COLUMN,
    { name: 'event_type', type: 'i8', field: 'event_type', desc: 'type of event' },
    { name: 'event_time', type: 'u4', shape: [2], field: 'event_time', desc: 'event timestamp' },
    {
      name: 'waveform',
      type: 'f4',
      shape: [nChannels, nPixels, nSamples],
      field: 'waveform',
      desc: 'numpy array containing a set of images, one per ADC sampleShape: (n_channels, n_pixels, n_samples)',
    },
    {
      name: 'pixel_status',
      type: 'u1',
      shape: [nPixels],
      field: 'pixel_status',
      desc: 'Array of pixel status values, see PixelStatus for definition of the values',
    },
    {
      name: 'selected_gain_channel',
      type: 'i1',
      shape: [nPixels],
      field: 'selected_gain_channel',
      desc: 'Numpy array containing the gain channel chosen for each pixel. Note: should be replaced by using ``pixel_status`` Shape: (n_pixels)',
    },
  ];
}

/** /simulation/event/subarray/shower (SimulatedShowerContainer) */
export const SHOWER_COLUMNS: readonly ColumnSpec[] = [
  OBS_ID_COLUMN,
  EVENT_ID_COLUMN,
  { name: 'true_energy', type: 'f8', field: 'energy', desc: 'Simulated Energy', unit: 'TeV' },
  { name: 'true_alt', type: 'f8', field: 'alt', desc: 'Simulated altitude', unit: 'deg' },
  { name: 'true_az', type: 'f8', field: 'az', desc: 'Simulated azimuth', unit: 'deg' },
  { name: 'true_core_x', type: 'f8', field: 'core_x', desc: 'Simulated core position (x)', unit: 'm' },
  { name: 'true_core_y', type: 'f8', field: 'core_y', desc: 'Simulated core position (y)', unit: 'm' },
  { name: 'true_h_first_int', type: 'f8', field: 'h_first_int', desc: 'Height of first interaction', unit: 'm' },
  { name: 'true_x_max', type: 'f8', field: 'x_max', desc: 'Simulated Xmax value', unit: 'cm**-2.g' },
  {
    name: 'true_starting_grammage',
    type: 'f8',
    field: 'starting_grammage',
    desc: 'Grammage (mass overburden) where the particle was injected into the atmosphere',
    unit: 'cm**-2.g',
  },
  {
    name: 'true_shower_primary_id',
    type: 'i8',
    field: 'shower_primary_id',
    desc: 'Simulated shower primary ID 0 (gamma), 1(e-),2(mu-), 100*A+Z for nucleons and nuclei,negative for antimatter.',
  },
];

/** /simulation/event/telescope/images/tel_NNN (SimulatedCameraContainer); without true_image when nPixels is null (as ctapipe-process writes a file with only the p.e. sums) */
export function trueImageColumns(nPixels: number | null): ColumnSpec[] {
  const columns: ColumnSpec[] = [
    OBS_ID_COLUMN,
    EVENT_ID_COLUMN,
    TEL_ID_COLUMN,
    { name: 'true_image_sum', type: 'i4', field: 'true_image_sum', desc: 'Total number of detected Cherenkov photons in the camera' },
  ];
  if (nPixels !== null) {
    columns.push({
      name: 'true_image',
      type: 'i4',
      shape: [nPixels],
      field: 'true_image',
      desc: 'Numpy array of camera image in PE as simulated before noise has been added. Shape: (n_pixel)',
    });
  }
  return columns;
}

/** /configuration/simulation/run (SimulationConfigContainer), in ctapipe's column order; `key` names the field of Lightpool's SimtelSimulationConfig */
export const SIMULATION_RUN_COLUMNS: readonly (ColumnSpec & { key: string })[] = [
  { name: 'obs_id', type: 'i8', field: 'obs_id', desc: 'Simulation Run Identifier', key: 'obsId' },
  { name: 'run_number', type: 'i8', field: 'run_number', desc: 'Original sim_telarray run number', key: 'runNumber' },
  { name: 'corsika_version', type: 'i8', field: 'corsika_version', desc: 'CORSIKA version * 1000', key: 'corsikaVersion' },
  { name: 'simtel_version', type: 'i8', field: 'simtel_version', desc: 'sim_telarray version * 1000', key: 'simtelVersion' },
  {
    name: 'energy_range_min',
    type: 'f8',
    field: 'energy_range_min',
    desc: 'Lower limit of energy range of primary particle',
    unit: 'TeV',
    key: 'energyRangeMin',
  },
  {
    name: 'energy_range_max',
    type: 'f8',
    field: 'energy_range_max',
    desc: 'Upper limit of energy range of primary particle',
    unit: 'TeV',
    key: 'energyRangeMax',
  },
  { name: 'prod_site_B_total', type: 'f8', field: 'prod_site_B_total', desc: 'total geomagnetic field', unit: 'uT', key: 'prodSiteBTotal' },
  { name: 'prod_site_B_declination', type: 'f8', field: 'prod_site_B_declination', desc: 'magnetic declination', unit: 'rad', key: 'prodSiteBDeclination' },
  { name: 'prod_site_B_inclination', type: 'f8', field: 'prod_site_B_inclination', desc: 'magnetic inclination', unit: 'rad', key: 'prodSiteBInclination' },
  { name: 'prod_site_alt', type: 'f8', field: 'prod_site_alt', desc: 'height of observation level', unit: 'm', key: 'prodSiteAlt' },
  { name: 'spectral_index', type: 'f8', field: 'spectral_index', desc: 'Power-law spectral index of spectrum', key: 'spectralIndex' },
  {
    name: 'shower_prog_start',
    type: 'i8',
    field: 'shower_prog_start',
    desc: 'Time when shower simulation started, CORSIKA: only date',
    key: 'showerProgStart',
  },
  { name: 'shower_prog_id', type: 'i8', field: 'shower_prog_id', desc: 'CORSIKA=1, ALTAI=2, KASCADE=3, MOCCA=4', key: 'showerProgId' },
  { name: 'detector_prog_start', type: 'i8', field: 'detector_prog_start', desc: 'Time when detector simulation started', key: 'detectorProgStart' },
  { name: 'detector_prog_id', type: 'i8', field: 'detector_prog_id', desc: 'simtelarray=1', key: 'detectorProgId' },
  { name: 'n_showers', type: 'i8', field: 'n_showers', desc: 'Number of showers simulated', key: 'nShowers' },
  { name: 'shower_reuse', type: 'i8', field: 'shower_reuse', desc: 'Numbers of uses of each shower', key: 'showerReuse' },
  { name: 'max_alt', type: 'f8', field: 'max_alt', desc: 'Maximum shower altitude', unit: 'rad', key: 'maxAlt' },
  { name: 'min_alt', type: 'f8', field: 'min_alt', desc: 'Minimum shower altitude', unit: 'rad', key: 'minAlt' },
  { name: 'max_az', type: 'f8', field: 'max_az', desc: 'Maximum shower azimuth', unit: 'rad', key: 'maxAz' },
  { name: 'min_az', type: 'f8', field: 'min_az', desc: 'Minimum shower azimuth', unit: 'rad', key: 'minAz' },
  { name: 'diffuse', type: 'i8', field: 'diffuse', desc: 'Diffuse Mode On/Off', key: 'diffuse' },
  { name: 'max_viewcone_radius', type: 'f8', field: 'max_viewcone_radius', desc: 'Maximum viewcone radius', unit: 'deg', key: 'maxViewconeRadius' },
  { name: 'min_viewcone_radius', type: 'f8', field: 'min_viewcone_radius', desc: 'Minimum viewcone radius', unit: 'deg', key: 'minViewconeRadius' },
  { name: 'max_scatter_range', type: 'f8', field: 'max_scatter_range', desc: 'Maximum scatter range', unit: 'm', key: 'maxScatterRange' },
  { name: 'min_scatter_range', type: 'f8', field: 'min_scatter_range', desc: 'Minimum scatter range', unit: 'm', key: 'minScatterRange' },
  { name: 'core_pos_mode', type: 'i8', field: 'core_pos_mode', desc: 'Core Position Mode (0=Circular, 1=Rectangular)', key: 'corePosMode' },
  { name: 'atmosphere', type: 'i8', field: 'atmosphere', desc: 'Atmospheric model number', key: 'atmosphere' },
  { name: 'corsika_iact_options', type: 'i8', field: 'corsika_iact_options', desc: 'CORSIKA simulation options for IACTs', key: 'corsikaIactOptions' },
  { name: 'corsika_low_E_model', type: 'i8', field: 'corsika_low_E_model', desc: 'CORSIKA low-energy simulation physics model', key: 'corsikaLowEModel' },
  {
    name: 'corsika_high_E_model',
    type: 'i8',
    field: 'corsika_high_E_model',
    desc: 'CORSIKA physics model ID for high energies (1=VENUS, 2=SIBYLL, 3=QGSJET, 4=DPMJET, 5=NeXus, 6=EPOS) ',
    key: 'corsikaHighEModel',
  },
  { name: 'corsika_bunchsize', type: 'f8', field: 'corsika_bunchsize', desc: 'Number of Cherenkov photons per bunch', key: 'corsikaBunchsize' },
  { name: 'corsika_wlen_min', type: 'f8', field: 'corsika_wlen_min', desc: 'Minimum wavelength of cherenkov light', unit: 'nm', key: 'corsikaWlenMin' },
  { name: 'corsika_wlen_max', type: 'f8', field: 'corsika_wlen_max', desc: 'Maximum wavelength of cherenkov light', unit: 'nm', key: 'corsikaWlenMax' },
  {
    name: 'corsika_low_E_detail',
    type: 'i8',
    field: 'corsika_low_E_detail',
    desc: 'More details on low E interaction model (version etc.)',
    key: 'corsikaLowEDetail',
  },
  {
    name: 'corsika_high_E_detail',
    type: 'i8',
    field: 'corsika_high_E_detail',
    desc: 'More details on high E interaction model (version etc.)',
    key: 'corsikaHighEDetail',
  },
];

/**
 * /simulation/event/telescope/parameters/tel_NNN: the true-image parameters
 * (ctapipe's ImageProcessor on the true image: Hillas, leakage,
 * concentration, morphology, intensity statistics; no timing), the
 * parameter columns with the `true_` prefix and the dtypes ctapipe writes
 * for an integer image (intensity max/min int32, leakage intensities float64)
 */
export const TRUE_PARAMETER_COLUMNS: readonly ColumnSpec[] = [
  OBS_ID_COLUMN,
  EVENT_ID_COLUMN,
  TEL_ID_COLUMN,
  ...PARAMETER_COLUMNS.filter((c) => /^(hillas|leakage|concentration|morphology|intensity)_/.test(c.name)).map((c): ColumnSpec => ({
    ...c,
    name: `true_${c.name}`,
    type: c.name === 'intensity_max' || c.name === 'intensity_min' ? 'i4' : c.type === 'f4' ? 'f8' : c.type,
  })),
];
