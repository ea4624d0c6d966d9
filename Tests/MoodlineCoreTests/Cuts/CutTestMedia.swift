import Foundation
import MoodlineCore
import MoodlineMedia
import MoodlineTestSupport
import XCTest

/// Edits with hard cuts, and shots with fast camera motion and flashes, made with FFmpeg at test time from the
/// licence-clean samples (Pexels video, the group photo, NASA's astronaut).
enum CutTestMedia {
    /// Face centres in `multi_face.jpg` (from its reference `frames.csv`) of three women framed alike.
    static let womenCentres = [(575, 377), (724, 357), (366, 300)]
    /// The order of the women in `sevenShots`, one second each.
    static let sevenShotsOrder = [0, 1, 2, 0, 1, 2, 0]

    /// Seven one-second shots of three women, each framed alike at the same place (a 320 × 240 crop around her face,
    /// scaled to 640 × 480, zooming in slowly so no shot is a still): cuts at 1, 2, …, 6 s.
    static func sevenShots(in folder: URL) throws -> String {
        var shots: [String] = []
        for (index, centre) in womenCentres.enumerated() {
            let shot = folder.appendingPathComponent("woman\(index).mp4").path
            try TestProcess.ffmpeg([
                "-loop", "1", "-i", TestMedia.multiFace, "-vf",
                "crop=320:240:\(centre.0 - 160):\(centre.1 - 140),scale=640:480,"
                    + "zoompan=z='1+0.002*on':d=1:s=640x480:fps=25,format=yuv420p",
                "-t", "1", "-r", "25", shot,
            ])
            shots.append(shot)
        }
        let list = folder.appendingPathComponent("seven.txt")
        try sevenShotsOrder.map { "file '\(shots[$0])'\n" }.joined().write(to: list, atomically: true, encoding: .utf8)
        let edit = folder.appendingPathComponent("seven_shots.mp4").path
        try TestProcess.ffmpeg([
            "-f", "concat", "-safe", "0", "-i", list.path, "-c:v", "libx264", "-pix_fmt", "yuv420p", edit,
        ])
        return edit
    }

    /// The interview, 2 s of it; 2 s of the group photo; 2 s of the interview mirrored and reframed: cuts at 2 and
    /// 4 s.
    static func interviewEdit(in folder: URL) throws -> String {
        let edit = folder.appendingPathComponent("interview_edit.mp4").path
        try TestProcess.ffmpeg([
            "-i", TestMedia.pexels, "-loop", "1", "-t", "2", "-framerate", "24000/1001", "-i", TestMedia.multiFace,
            "-filter_complex",
            "[0:v]trim=0:2,setpts=PTS-STARTPTS[a];[1:v]scale=640:360,setsar=1,fps=24000/1001[b];"
                + "[0:v]trim=14:16,setpts=PTS-STARTPTS,hflip,crop=480:270:80:20,scale=640:360[c];"
                + "[a][b][c]concat=n=3:v=1,format=yuv420p[v]",
            "-map", "[v]", "-c:v", "libx264", edit,
        ])
        return edit
    }

    /// Two people framed alike: the interview's woman (0-2 s), NASA's astronaut (2-4 s), the woman again (4-6 s),
    /// each a square around the face, scaled to the same size and place in a black 480 × 480 frame, so no box jumps
    /// at the cuts (2 and 4 s).
    static func twoPeopleFramedAlike(in folder: URL) throws -> String {
        let edit = folder.appendingPathComponent("two_people.mp4").path
        let frame = "scale=320:320,setsar=1,pad=480:480:80:80"
        try TestProcess.ffmpeg([
            "-i", TestMedia.pexels, "-loop", "1", "-t", "2", "-framerate", "24000/1001", "-i", TestMedia.astronaut,
            "-filter_complex",
            "[0:v]trim=0:2,setpts=PTS-STARTPTS,crop=288:288:276:72,\(frame)[a];"
                + "[1:v]format=yuv420p,crop=120:120:166:62,\(frame),fps=24000/1001[b];"
                + "[0:v]trim=4:6,setpts=PTS-STARTPTS,crop=288:288:276:72,\(frame)[c];"
                + "[a][b][c]concat=n=3:v=1,format=yuv420p[v]",
            "-map", "[v]", "-c:v", "libx264", edit,
        ])
        return edit
    }

    /// The interview's first 2 s, then a close-up (a 2× crop) of the same woman 8 s later: a cut at 2 s that looks
    /// much like a zoom.
    static func closeUpEdit(in folder: URL) throws -> String {
        let edit = folder.appendingPathComponent("close_up_edit.mp4").path
        try TestProcess.ffmpeg([
            "-i", TestMedia.pexels, "-filter_complex",
            "[0:v]trim=0:2,setpts=PTS-STARTPTS[a];"
                + "[0:v]trim=8:10,setpts=PTS-STARTPTS,crop=320:180:160:40,scale=640:360[b];"
                + "[a][b]concat=n=2:v=1,format=yuv420p[v]",
            "-map", "[v]", "-c:v", "libx264", edit,
        ])
        return edit
    }

    /// One shot each, with no cut: a fast pan across the group photo (a frame's width a second, with a bob), a fast
    /// zoom into the astronaut (1.04× a frame, 2.6× in 1.6 s), and the interview with a flash (brighter for 0.25 s at
    /// 3 s) and a dip (darker for 0.3 s at 4.6 s).
    static func motionShots(in folder: URL) throws -> [String] {
        let pan = folder.appendingPathComponent("fast_pan.mp4").path
        try TestProcess.ffmpeg([
            "-loop", "1", "-i", TestMedia.multiFace, "-vf",
            "crop=400:300:'min(600,t*400)':'100+50*sin(t*6)',scale=640:480,format=yuv420p", "-t", "3", "-r", "25",
            pan,
        ])
        let zoom = folder.appendingPathComponent("fast_zoom.mp4").path
        try TestProcess.ffmpeg([
            "-loop", "1", "-i", TestMedia.astronaut, "-vf",
            "zoompan=z='1+0.04*on':x='iw/2-(iw/zoom/2)':y='ih/3-(ih/zoom/3)':d=1:s=512x512:fps=25,format=yuv420p",
            "-t", "1.6", "-r", "25", zoom,
        ])
        let flash = folder.appendingPathComponent("flash.mp4").path
        try TestProcess.ffmpeg([
            "-i", TestMedia.pexels, "-t", "6", "-an", "-vf",
            "eq=brightness='if(between(t,3,3.25),0.5,if(between(t,4.6,4.9),-0.4,0))':eval=frame,format=yuv420p",
            flash,
        ])
        return [pan, zoom, flash]
    }

    /// The difference between each sampled frame and the one before, with the frame's time, as the pipeline samples
    /// at `framesPerSecond`.
    static func differences(in path: String, framesPerSecond: Double = 5) throws -> [(seconds: Double, value: Double)] {
        var sampler = FrameSampler(mode: .rate(framesPerSecond: framesPerSecond))
        var previous: FrameSignature?
        var result: [(seconds: Double, value: Double)] = []
        _ = try MediaReader(path: path).decodeFrames(select: { sampler.accepts($0) }) { frame in
            let signature = FrameSignature(of: frame.pixels)
            if let previous { result.append((frame.timeSeconds, signature.difference(from: previous))) }
            previous = signature
        }
        return result
    }
}
