#!/usr/bin/env python3
"""Makes faces turned by known yaw angles, for the head-pose test (`HeadPoseTests`, `yaw_deg` in frames.csv).

No labelled head-pose set (BIWI, AFLW2000, ...) is reachable from this project's machines, so the test uses the way
300W-LP made its turned faces (Zhu et al., CVPR 2016, "face profiling"): fit a 3D mesh to a real face, turn the mesh,
and render it with the picture's own pixels as its texture. The angle each picture is turned by is then known.

Run by hand, offline apart from installing its pinned packages (scripts/requirements-headpose.txt):

    python3 -m venv /tmp/headpose && /tmp/headpose/bin/pip install -r scripts/requirements-headpose.txt
    /tmp/headpose/bin/python scripts/make_yaw_faces.py

For each face of the samples (Samples/astronaut.png, the five of Samples/multi_face.jpg, and three frames of
Samples/WolfgangLanger_Pexels.mp4 decoded by the ffmpeg tool):

1. MediaPipe's face detector finds the faces, and its face mesh (mediapipe 0.10.14, `solutions.face_detection` and
   `solutions.face_mesh`, their bundled models) places 468 points in 3D on each, one face at a time; the depth is in
   the picture's pixel scale, with smaller values nearer the camera.
2. Three rings of points are added outside the face's outline, each further out and further back (the sides of the
   head, the ears, the hair, the neck), so that what lies around the face turns with it.
3. The face is made frontal first: "yaw 0" is where its two outline points beside the ears (mesh points 234 and
   454, at the tragus) are at the same depth. The mesh then turns about a vertical axis through the ears' depth by
   each angle, and is drawn with a depth buffer (orthographic projection, bilinear texture from the source picture)
   onto a plain grey square 2.6 face-widths wide.

Positive angles turn the face towards the picture's left (its nose moves left); `yaw_deg` has the opposite sign
(positive towards the picture's right, the person's left), which HeadPoseTests accounts for.

Writes Tests/MoodlineCoreTests/Fixtures/head-yaw/<face>_<angle>.jpg (JPEG quality 92) and yaw.json: each picture,
its face, the angle, and the face's own yaw before it was made frontal (MediaPipe's, for information).
"""
import argparse
import hashlib
import json
import os
import subprocess
import tempfile

import mediapipe as mp
import numpy as np
from PIL import Image
from scipy.spatial import Delaunay

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "MoodlineCoreTests", "Fixtures", "head-yaw")
ANGLES = [-60, -45, -30, -15, 0, 15, 30, 45, 60]
VIDEO_SECONDS = [1.0, 9.0, 14.0]
# The rings outside the face's outline: how far out (times the outline's distance from the face's centre) and how
# far back (times the same distance). A head's sides fall back about as fast as they spread.
RINGS = [(1.15, 0.25), (1.35, 0.7), (1.6, 1.2)]
EAR_POINTS = (234, 454)
CANVAS_FACE_WIDTHS = 2.6
BACKGROUND = 118


def decode_rgb(path, seconds=None):
    """A picture or a video frame as RGB, decoded by the ffmpeg tool (as the other golden scripts do)."""
    with tempfile.TemporaryDirectory() as folder:
        png = os.path.join(folder, "frame.png")
        command = ["ffmpeg", "-v", "error"]
        if seconds is not None:
            command += ["-ss", str(seconds)]
        command += ["-i", path, "-frames:v", "1", "-pix_fmt", "rgb24", png]
        subprocess.run(command, check=True)
        return np.array(Image.open(png).convert("RGB"))


def face_meshes(rgb):
    """Every face's 468 points as (x, y, z) in pixels. The mesh runs on a square around each face found by MediaPipe's
    detector, one face at a time: on the whole group photo, its meshes of faces near each other come out scrambled."""
    h, w, _ = rgb.shape
    with mp.solutions.face_detection.FaceDetection(model_selection=1, min_detection_confidence=0.5) as detector:
        detections = detector.process(rgb).detections or []
    faces = []
    for detection in detections:
        box = detection.location_data.relative_bounding_box
        cx, cy = (box.xmin + box.width / 2) * w, (box.ymin + box.height / 2) * h
        half = int(round(1.25 * max(box.width * w, box.height * h)))
        x0, y0 = int(round(cx)) - half, int(round(cy)) - half
        crop = np.full((2 * half, 2 * half, 3), BACKGROUND, dtype=np.uint8)
        sx0, sy0, sx1, sy1 = max(x0, 0), max(y0, 0), min(x0 + 2 * half, w), min(y0 + 2 * half, h)
        crop[sy0 - y0 : sy1 - y0, sx0 - x0 : sx1 - x0] = rgb[sy0:sy1, sx0:sx1]
        with mp.solutions.face_mesh.FaceMesh(
            static_image_mode=True, max_num_faces=1, refine_landmarks=False, min_detection_confidence=0.5
        ) as mesh:
            result = mesh.process(crop)
        if not result.multi_face_landmarks:
            continue
        size = 2 * half
        points = np.array([[p.x * size + x0, p.y * size + y0, p.z * size] for p in result.multi_face_landmarks[0].landmark])
        faces.append(points)
    faces.sort(key=lambda points: points[:, 0].mean())
    return faces


def outline_indices():
    """The face outline's points in order around it (MediaPipe's FACEMESH_FACE_OVAL edges form one loop)."""
    edges = list(mp.solutions.face_mesh.FACEMESH_FACE_OVAL)
    following = {a: b for a, b in edges}
    start = edges[0][0]
    loop = [start]
    while following[loop[-1]] != start:
        loop.append(following[loop[-1]])
    return loop


def with_rings(points):
    """The mesh's points and the rings around its outline; each ring point keeps its source position as texture."""
    loop = outline_indices()
    outline = points[loop]
    centre = outline[:, :2].mean(axis=0)
    rings = []
    for spread, fall in RINGS:
        offset = outline[:, :2] - centre
        distance = np.linalg.norm(offset, axis=1, keepdims=True)
        xy = centre + spread * offset
        z = outline[:, 2:3] + fall * distance
        rings.append(np.hstack([xy, z]))
    return np.vstack([points] + rings), centre


def own_yaw(points):
    """The face's own yaw (degrees, positive towards the picture's left) from the depths of its two outline points
    beside the ears: turning a face by +a brings the point on the picture's right nearer by tan(a) of their width."""
    right, left = points[EAR_POINTS[0]], points[EAR_POINTS[1]]
    return float(np.degrees(np.arctan2(right[2] - left[2], left[0] - right[0])))


def turned(points, centre, degrees):
    """The points turned about a vertical axis through the face's centre at the ears' depth; positive moves the
    nose (nearer the camera) to the picture's left."""
    ear_depth = points[list(EAR_POINTS), 2].mean()
    a = np.radians(degrees)
    x, z = points[:, 0] - centre[0], points[:, 2] - ear_depth
    out = points.copy()
    out[:, 0] = centre[0] + x * np.cos(a) + z * np.sin(a)
    out[:, 2] = ear_depth - x * np.sin(a) + z * np.cos(a)
    return out


def bilinear(rgb, x, y):
    h, w, _ = rgb.shape
    x = np.clip(x, 0, w - 1.001)
    y = np.clip(y, 0, h - 1.001)
    x0, y0 = np.floor(x).astype(int), np.floor(y).astype(int)
    fx, fy = (x - x0)[:, None], (y - y0)[:, None]
    top = rgb[y0, x0] * (1 - fx) + rgb[y0, x0 + 1] * fx
    bottom = rgb[y0 + 1, x0] * (1 - fx) + rgb[y0 + 1, x0 + 1] * fx
    return top * (1 - fy) + bottom * fy


def render(rgb, source, moved, triangles, origin, size):
    """Draws the moved mesh (texture from `source` positions) on a grey square at `origin`, nearest surface first."""
    canvas = np.full((size, size, 3), BACKGROUND, dtype=np.float64)
    depth = np.full((size, size), np.inf)
    picture = rgb.astype(np.float64)
    screen = moved[:, :2] - origin
    for triangle in triangles:
        p = screen[triangle]
        x0, y0 = np.maximum(np.floor(p.min(axis=0)).astype(int), 0)
        x1, y1 = np.minimum(np.ceil(p.max(axis=0)).astype(int), size - 1)
        if x1 < x0 or y1 < y0:
            continue
        area = (p[1, 0] - p[0, 0]) * (p[2, 1] - p[0, 1]) - (p[2, 0] - p[0, 0]) * (p[1, 1] - p[0, 1])
        if abs(area) < 1e-9:
            continue
        ys, xs = np.mgrid[y0 : y1 + 1, x0 : x1 + 1]
        px, py = xs.ravel() + 0.5, ys.ravel() + 0.5
        w1 = ((px - p[0, 0]) * (p[2, 1] - p[0, 1]) - (p[2, 0] - p[0, 0]) * (py - p[0, 1])) / area
        w2 = ((p[1, 0] - p[0, 0]) * (py - p[0, 1]) - (px - p[0, 0]) * (p[1, 1] - p[0, 1])) / area
        w0 = 1 - w1 - w2
        inside = (w0 >= -1e-6) & (w1 >= -1e-6) & (w2 >= -1e-6)
        if not inside.any():
            continue
        w0, w1, w2 = w0[inside], w1[inside], w2[inside]
        cx, cy = xs.ravel()[inside], ys.ravel()[inside]
        z = w0 * moved[triangle[0], 2] + w1 * moved[triangle[1], 2] + w2 * moved[triangle[2], 2]
        nearer = z < depth[cy, cx]
        if not nearer.any():
            continue
        cx, cy, z = cx[nearer], cy[nearer], z[nearer]
        w = np.stack([w0[nearer], w1[nearer], w2[nearer]], axis=1)
        texture = w @ source[triangle, :2]
        depth[cy, cx] = z
        canvas[cy, cx] = bilinear(picture, texture[:, 0], texture[:, 1])
    return np.clip(canvas + 0.5, 0, 255).astype(np.uint8)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=OUT)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    sources = [("astronaut", os.path.join(ROOT, "Samples", "astronaut.png"), None)]
    sources.append(("multi_face", os.path.join(ROOT, "Samples", "multi_face.jpg"), None))
    video = os.path.join(ROOT, "Samples", "WolfgangLanger_Pexels.mp4")
    sources += [(f"pexels{int(s)}s", video, s) for s in VIDEO_SECONDS]
    records = []
    for name, path, seconds in sources:
        rgb = decode_rgb(path, seconds)
        meshes = face_meshes(rgb)
        for index, points in enumerate(meshes):
            face = name if len(meshes) == 1 else f"{name}{index}"
            everything, centre = with_rings(points)
            triangles = Delaunay(everything[:, :2]).simplices
            width = points[:, 0].max() - points[:, 0].min()
            size = int(round(CANVAS_FACE_WIDTHS * width))
            origin = centre - size / 2
            yaw0 = own_yaw(points)
            for angle in ANGLES:
                moved = turned(everything, centre, angle - yaw0)
                image = render(rgb, everything, moved, triangles, origin, size)
                file = f"{face}_{angle:+d}.jpg"
                Image.fromarray(image).save(os.path.join(args.out, file), quality=92)
                records.append(
                    {"file": file, "face": face, "yaw_deg": angle, "face_width_px": round(float(width), 1),
                     "source_yaw_deg": round(yaw0, 1)}
                )
            print(f"{face}: {width:.0f} px wide, its own yaw {yaw0:+.1f} degrees")
    with open(os.path.join(args.out, "yaw.json"), "w") as handle:
        json.dump({"generator": "scripts/make_yaw_faces.py", "mediapipe": mp.__version__,
                   "sign": "positive turns the face towards the picture's left", "pictures": records}, handle, indent=1)
        handle.write("\n")
    digest = hashlib.sha256(open(os.path.join(args.out, "yaw.json"), "rb").read()).hexdigest()
    print(f"{len(records)} pictures, yaw.json sha256 {digest}")


if __name__ == "__main__":
    main()
