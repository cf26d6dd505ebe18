/**
 * openSimtelFile against pyeventio 1.16 and ctapipe 0.26 run in the same
 * test (simtel-oracle.py) on every sim_telarray fixture: the nested object
 * list, the run-level objects, the subarray (camera geometry, neighbours,
 * readout, optics, positions) as ctapipe's SimTelEventSource builds it, and
 * every event: trigger, pointing, R0 waveforms (also against the /r0 tables
 * ctapipe-process wrote), pedestals, dc_to_pe, time shifts, HV-disabled
 * pixels, true images (also against /simulation/event/telescope/images),
 * MC shower, and the telescope event objects pyeventio reads.
 */
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { EventIOFile } from '../../../../../src-worker/io/eventio/eventio-file.js';
import { objectTree } from '../../../../../src-worker/io/eventio/object-tree.js';
import { openSimtelFile, type SimtelFile } from '../../../../../src-worker/io/simtel/simtel-file.js';
import { neighborsToLists } from '../../../../../src-worker/instrument/neighbors.js';
import { ctapipe } from '../../../../helpers/reference-tools.js';
import { describeWith } from '../../../../helpers/vitest-tools.js';
import { comparePyeventio, oracleArray, runSimtelOracle, SIMTEL_FILES, SIMTEL_FIXTURES, type OracleFile } from './simtel-oracle.js';

const tool = ctapipe();

function expectSameArray(ours: ArrayLike<number>, theirs: ArrayLike<number>, what: string): void {
  expect(ours.length, `${what}: length`).toBe(theirs.length);
  let bad = -1;
  for (let i = 0; i < theirs.length; i++) {
    if (!(ours[i] === theirs[i] || (Number.isNaN(ours[i]) && Number.isNaN(theirs[i])))) {
      bad = i;
      break;
    }
  }
  expect(bad === -1 ? 'equal' : `first difference at ${bad}: ours ${ours[bad]}, theirs ${theirs[bad]}`, what).toBe('equal');
}

describeWith([tool], 'openSimtelFile against pyeventio and ctapipe (same run)', () => {
  let oracle: Record<string, OracleFile>;
  const files = new Map<string, SimtelFile>();

  beforeAll(() => {
    oracle = runSimtelOracle(
      tool.path,
      SIMTEL_FILES.map((f) => join(SIMTEL_FIXTURES, f)),
    );
    for (const f of SIMTEL_FILES) files.set(f, openSimtelFile(join(SIMTEL_FIXTURES, f), { focalLengthChoice: 'EQUIVALENT' }));
    return () => {
      for (const f of files.values()) f.close();
    };
  }, 600_000);

  for (const name of SIMTEL_FILES) {
    it(`${name}: the nested object list is pyeventio's`, () => {
      const file = EventIOFile.open(join(SIMTEL_FIXTURES, name));
      try {
        file.scan(null);
        expect(file.problem).toBeNull();
        const ours = objectTree(file).map((o) => [o.depth, o.type, o.version, o.id, o.contentSize, o.contentOffset, o.onlySubObjects]);
        expect(ours).toEqual(oracle[name].objects);
      } finally {
        file.close();
      }
    });

    it(`${name}: run header, MC run header, telescope descriptions and metadata are pyeventio's`, () => {
      const f = files.get(name) as SimtelFile;
      const py = oracle[name].pyeventio;
      expect(comparePyeventio(f.run.runHeader, py.header, 'run_header')).toEqual([]);
      expect(f.run.mcRunHeaders.length).toBe(py.mc_run_headers.length);
      expect(comparePyeventio(f.run.mcRunHeaders, py.mc_run_headers, 'mc_run_headers')).toEqual([]);
      const telIds = Object.keys(py.telescope_descriptions).map(Number);
      expect(f.subarray.telIds).toEqual([...telIds].sort((a, b) => a - b));
      for (const telId of telIds) {
        const t = f.subarray.telescopes.find((x) => x.telId === telId);
        const d = py.telescope_descriptions[String(telId)];
        for (const key of Object.keys(d)) {
          // pyeventio's PixelSettings has no separate ref-shape dimensions; ours keeps them beside ref_shape
          expect(
            comparePyeventio(
              (t?.settings as unknown as Record<string, unknown>)[key.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())],
              d[key],
              `tel ${telId} ${key}`,
            ),
          ).toEqual([]);
        }
      }
      expect(Object.fromEntries(f.run.globalMeta)).toEqual(py.global_meta);
      expect(Object.fromEntries([...f.run.telescopeMeta].map(([k, v]) => [String(k), Object.fromEntries(v)]))).toEqual(py.telescope_meta);
      expect(f.run.history.length).toBe(py.n_history);
    });

    it(`${name}: subarray, camera geometry, neighbours, readout and optics are what ctapipe's SimTelEventSource builds`, () => {
      const f = files.get(name) as SimtelFile;
      const c = oracle[name].ctapipe;
      expect(f.subarray.name).toBe(c.subarray_name);
      expect(f.subarray.telIds).toEqual(c.tel_ids);
      expect(f.run.obsId).toBe(c.obs_id);
      expect(f.run.hasTrueImage).toBe(c.has_true_image);
      for (const t of f.subarray.telescopes) {
        const ct = c.telescopes[String(t.telId)];
        const w = `tel ${t.telId}`;
        expect(t.name, w).toBe(ct.name);
        expect(t.type, w).toBe(ct.type);
        expect([t.posX, t.posY, t.posZ], w).toEqual(ct.position_m);
        expect(
          {
            name: t.optics.name,
            size_type: t.optics.sizeType,
            reflector_shape: t.optics.reflectorShape,
            n_mirrors: t.optics.nMirrors,
            n_mirror_tiles: t.optics.nMirrorTiles,
            mirror_area_m2: t.optics.mirrorArea,
            equivalent_focal_length_m: t.optics.equivalentFocalLength,
            effective_focal_length_m: Number.isFinite(t.optics.effectiveFocalLength) ? t.optics.effectiveFocalLength : null,
          },
          w,
        ).toEqual(ct.optics);
        const g = t.camera.geometry;
        const cc = ct.camera;
        expect(g.name, w).toBe(cc.name);
        expect(g.pixType, w).toBe(cc.pix_type === 'circle' ? 'hexagon' : cc.pix_type);
        expect(g.camRotation, w).toBe(cc.cam_rotation_deg);
        expect(Math.abs(g.pixRotation - cc.pix_rotation_deg), w).toBeLessThan(1e-9);
        expect(t.frameFocalLength, w).toBe(cc.focal_length_m);
        expectSameArray(g.pixId, oracleArray(cc.pix_id), `${w} pix_id`);
        expectSameArray(g.pixArea, oracleArray(cc.pix_area), `${w} pix_area`);
        // positions are rotated by cam_rot: the same float64 operations, allow the last bit
        const px = oracleArray(cc.pix_x);
        const py = oracleArray(cc.pix_y);
        let dmax = 0;
        for (let i = 0; i < g.nPixels; i++) dmax = Math.max(dmax, Math.abs(g.pixX[i] - px[i]), Math.abs(g.pixY[i] - py[i]));
        expect(dmax, `${w} pixel positions`).toBeLessThan(1e-12);
        expect(neighborsToLists(t.camera.neighbors), `${w} neighbours`).toEqual(cc.neighbors.map((n: number[]) => [...n].sort((a, b) => a - b)));
        const ro = t.camera.readout;
        expect(ro.samplingRate, w).toBe(cc.sampling_rate_ghz);
        expect(ro.referencePulseSampleWidth, w).toBe(cc.reference_pulse_sample_width_ns);
        expect([ro.nChannels, ro.nPixels, ro.nSamples], w).toEqual([cc.n_channels, cc.n_pixels, cc.n_samples]);
        expect(ro.referencePulseShape.length, w).toBe(cc.reference_pulse_shape.shape[0]);
        expectSameArray(
          Float64Array.from(ro.referencePulseShape.flatMap((s) => Array.from(s))),
          oracleArray(cc.reference_pulse_shape),
          `${w} reference pulse shape`,
        );
      }
    });

    it(`${name}: every event's trigger, pointing, R0 waveforms, monitoring, true image and shower are ctapipe's`, () => {
      const f = files.get(name) as SimtelFile;
      const c = oracle[name].ctapipe;
      const dl1 = oracle[name].dl1;
      expect(f.nEvents).toBe(c.events.length);
      expect(f.problemAfter).toBeNull();
      let compared = 0;
      for (let i = 0; i < f.nEvents; i++) {
        const ev = f.event(i);
        const ce = c.events[i];
        const w = `event ${i}`;
        expect([ev.obsId, ev.eventId, ev.count, ev.trigger.eventType], w).toEqual([ce.obs_id, ce.event_id, ce.count, ce.event_type]);
        expect(ev.trigger.telsWithTrigger, w).toEqual(ce.tels_with_trigger);
        expect({ altitude_rad: ev.pointing.altitude ?? null, azimuth_rad: ev.pointing.azimuth ?? null }, w).toEqual(ce.array_pointing);
        if (ce.shower === null) expect(ev.shower, w).toBeNull();
        else {
          const s = ev.shower as NonNullable<typeof ev.shower>;
          expect(
            {
              energy_tev: s.energy,
              alt_rad: s.alt,
              az_rad: s.az,
              core_x_m: s.coreX,
              core_y_m: s.coreY,
              h_first_int_m: s.hFirstInt,
              x_max_g_cm2: s.xMax,
              shower_primary_id: s.showerPrimaryId,
              starting_grammage_g_cm2: Number.isFinite(s.startingGrammage) ? s.startingGrammage : null,
            },
            w,
          ).toEqual(ce.shower);
        }
        expect(
          ev.tel.map((t) => String(t.telId)),
          w,
        ).toEqual(Object.keys(ce.tel));
        for (const t of ev.tel) {
          const ct = ce.tel[String(t.telId)];
          const wt = `${w} tel ${t.telId}`;
          expect([t.r0.nGains, t.r0.nPixels, t.r0.nSamples], wt).toEqual(ct.r0.shape);
          expect(t.r0.waveform instanceof Uint16Array ? '<u2' : '<u4', wt).toBe(ct.r0.dtype);
          expectSameArray(t.r0.waveform, oracleArray(ct.r0), `${wt} R0 (SimTelEventSource)`);
          const h5 = dl1?.r0[`tel_${String(t.telId).padStart(3, '0')}`]?.find((r: { event_id: number }) => r.event_id === ev.eventId);
          if (dl1) {
            expect(h5, `${wt}: row in the ctapipe-process /r0 table`).toBeTruthy();
            expectSameArray(t.r0.waveform, oracleArray(h5.waveform), `${wt} R0 (/r0 table of ctapipe-process)`);
          }
          expectSameArray(t.pedestalPerSample as Float32Array, oracleArray(ct.pedestal_per_sample), `${wt} pedestal per sample`);
          expectSameArray(t.dcToPe as Float32Array, oracleArray(ct.dc_to_pe), `${wt} dc_to_pe`);
          expectSameArray(t.timeShift as Float32Array, oracleArray(ct.time_shift), `${wt} time shift`);
          const failing = new Uint8Array(t.r0.nGains * t.r0.nPixels);
          for (let g = 0; g < t.r0.nGains; g++) for (const p of t.hvDisabled) failing[g * t.r0.nPixels + p] = 1;
          expectSameArray(failing, oracleArray(ct.hardware_failing_pixels), `${wt} hardware failing pixels`);
          expect({ azimuth_rad: t.pointing.azimuth, altitude_rad: t.pointing.altitude }, wt).toEqual(ct.pointing);
          const trig = ev.trigger.tel.get(t.telId);
          expect(trig?.nTriggerPixels, wt).toBe(ct.n_trigger_pixels);
          expect(trig?.triggerPixels ? Array.from(trig.triggerPixels) : null, wt).toEqual(ct.trigger_pixels);
          if (ct.true_image === null) expect(t.trueImage, wt).toBeNull();
          else expectSameArray(t.trueImage as Int32Array, oracleArray(ct.true_image), `${wt} true image (SimTelEventSource)`);
          expect(Number.isNaN(t.trueImageSum) ? null : t.trueImageSum, wt).toBe(ct.true_image_sum);
          const sim = dl1?.true_images[`tel_${String(t.telId).padStart(3, '0')}`]?.find((r: { event_id: number }) => r.event_id === ev.eventId);
          if (sim) {
            expect(t.trueImageSum, wt).toBe(sim.true_image_sum);
            if (sim.true_image) expectSameArray(t.trueImage as Int32Array, oracleArray(sim.true_image), `${wt} true image (/simulation table)`);
          }
          compared++;
        }
      }
      expect(compared).toBe(c.events.reduce((n: number, e: { tel: object }) => n + Object.keys(e.tel).length, 0));
    });

    it(`${name}: the objects of every event (trigger, telescope headers, ADC data, pixel timing, lists, monitoring, truth) are pyeventio's`, () => {
      // pyeventio's event list includes calibration events (the oracle asks for them)
      const f = openSimtelFile(join(SIMTEL_FIXTURES, name), { focalLengthChoice: 'EQUIVALENT', calibrationEvents: true });
      try {
        const pyEvents = oracle[name].pyeventio_events;
        expect(f.nEvents).toBe(pyEvents.length);
        for (let i = 0; i < f.nEvents; i++) {
          const ev = f.event(i);
          const pe = pyEvents[i];
          const w = `event ${i}`;
          expect(ev.kind, w).toBe(pe.type);
          // pyeventio keeps id 0; ctapipe (and we) give such events negative pseudo ids
          if (pe.event_id === 0) expect(ev.eventId, w).toBeLessThan(0);
          else expect(ev.eventId, w).toBe(pe.event_id);
          if (pe.calibration_type !== null) expect(ev.calibrationType, w).toBe(pe.calibration_type);
          expect(comparePyeventio(ev.trigger.raw, pe.trigger_information, `${w} trigger`)).toEqual([]);
          expect(
            ev.tel.map((t) => String(t.telId)),
            w,
          ).toEqual(Object.keys(pe.telescopes));
          for (const t of ev.tel) {
            const pt = pe.telescopes[String(t.telId)];
            const wt = `${w} tel ${t.telId}`;
            expect(comparePyeventio(t.raw.header, pt.header, `${wt} header`)).toEqual([]);
            expect(comparePyeventio(t.raw.pixelLists, pt.pixel_lists, `${wt} pixel lists`)).toEqual([]);
            if (pt.adc_samples) expectSameArray(t.raw.adcSamples?.samples ?? [], oracleArray(pt.adc_samples), `${wt} adc_samples`);
            if (pt.adc_sums) expectSameArray(t.raw.adcSums?.sums ?? [], oracleArray(pt.adc_sums), `${wt} adc_sums`);
            if (pt.pixel_timing) expect(comparePyeventio(t.raw.pixelTiming, pt.pixel_timing, `${wt} pixel timing`)).toEqual([]);
            if (pt.aux_traces) expect(t.raw.auxTraces.length, wt).toBe(Object.keys(pt.aux_traces).length);
            const tp = pe.tracking_positions[String(t.telId)];
            expect(comparePyeventio(ev.trackingPositions.get(t.telId), tp, `${wt} tracking`)).toEqual([]);
            expect(comparePyeventio(t.cameraMonitoring, pe.camera_monitorings[String(t.telId)], `${wt} camera monitoring`)).toEqual([]);
            expect(comparePyeventio(t.laserCalibration, pe.laser_calibrations[String(t.telId)], `${wt} laser calibration`)).toEqual([]);
            if (pe.pixel_monitorings)
              expect(comparePyeventio(t.pixelMonitoring ?? {}, pe.pixel_monitorings[String(t.telId)], `${wt} pixel monitoring`)).toEqual([]);
          }
          if (ev.kind === 'data') {
            expect(comparePyeventio(ev.mcShower, pe.mc_shower, `${w} mc_shower`)).toEqual([]);
            expect(comparePyeventio(ev.mcEvent, pe.mc_event, `${w} mc_event`)).toEqual([]);
            expect(comparePyeventio(ev.photoelectronSums, pe.photoelectron_sums, `${w} photoelectron sums`)).toEqual([]);
          }
          for (const [idx, p] of Object.entries(pe.photoelectrons as Record<string, unknown>)) {
            const t = ev.tel.find((x) => x.telId === Number(idx) + 1);
            expect(t?.truePhotoelectrons, `${w} photoelectrons ${idx}`).toBeTruthy();
            const q = p as { photoelectrons: unknown; pixel_id: unknown; time: unknown };
            expect(
              comparePyeventio(
                { photoelectrons: t?.trueImage, pixelId: t?.truePhotoelectrons?.pixel, time: t?.truePhotoelectrons?.time },
                { photoelectrons: q.photoelectrons, pixel_id: q.pixel_id, time: q.time },
                `${w} photoelectrons`,
              ),
            ).toEqual([]);
          }
        }
      } finally {
        f.close();
      }
    });
  }
});
