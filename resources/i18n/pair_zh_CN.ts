<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>FileRow</name>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="108"/>
        <source>Choose a checkpoint</source>
        <translation>选择检查点</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="109"/>
        <source>Checkpoints (*.safetensors *.pt *.pth *.ckpt *.bin *.pkl);;All files (*)</source>
        <translation>检查点 (*.safetensors *.pt *.pth *.ckpt *.bin *.pkl);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>PairActions</name>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="346"/>
        <source>Pair checkpoints…</source>
        <translation>配对检查点…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="347"/>
        <source>Use one checkpoint per ink style (light, dark) as one model</source>
        <translation>每种墨色（淡墨、浓墨）各用一个检查点，合为一个模型</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="372"/>
        <source>Two checkpoints</source>
        <translation>两个检查点</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="373"/>
        <source>Use {0} and {1} as the light and dark ink of one model?</source>
        <translation>将 {0} 和 {1} 用作同一模型的淡墨与浓墨？</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="374"/>
        <source>Pair them to paint each style with its own checkpoint, or open them as two models.</source>
        <translation>配对后每种风格由各自的检查点绘制；也可作为两个模型分别打开。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="375"/>
        <source>Pair…</source>
        <translation>配对…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="376"/>
        <source>Open both</source>
        <translation>分别打开</translation>
    </message>
</context>
<context>
    <name>PairDialog</name>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="45"/>
        <source>light ink (淡墨)</source>
        <translation>淡墨</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="47"/>
        <source>dark ink (浓墨)</source>
        <translation>浓墨</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="67"/>
        <source>light-ink</source>
        <translation>淡墨</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="69"/>
        <source>dark-ink</source>
        <translation>浓墨</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="79"/>
        <source>{0} checkpoint</source>
        <translation>{0}检查点</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="83"/>
        <source>Sizes differ</source>
        <translation>尺寸不同</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="83"/>
        <source>the {0} checkpoint paints {1} px: its paintings are resized to {2} px</source>
        <translation>{0}检查点画 {1} px：其画作缩放到 {2} px</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="216"/>
        <source>Choose the light-ink checkpoint.</source>
        <translation>请选择淡墨检查点。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="218"/>
        <source>Choose the dark-ink checkpoint.</source>
        <translation>请选择浓墨检查点。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="220"/>
        <source>Choose a checkpoint.</source>
        <translation>请选择一个检查点。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="223"/>
        <source>No such file: {0}</source>
        <translation>文件不存在：{0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="226"/>
        <source>Give the pair a name.</source>
        <translation>请为这对模型命名。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="228"/>
        <source>&apos;{0}&apos; cannot name a file: use letters, digits, - and _.</source>
        <translation>“{0}”不能用作文件名：请使用字母、数字、- 和 _。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="248"/>
        <location filename="../../studio/ui/pair_dialog.py" line="278"/>
        <source>Not paired: {0}</source>
        <translation>未能配对：{0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="256"/>
        <source>Reading the checkpoints…</source>
        <translation>正在读取检查点…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="269"/>
        <source>Replace pair</source>
        <translation>替换配对</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="270"/>
        <source>A model named &apos;{0}&apos; is already in your models folder. Replace it?</source>
        <translation>模型文件夹中已有名为“{0}”的模型。要替换吗？</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="283"/>
        <source>Paired: model &apos;{0}&apos; paints {1}, each with its own checkpoint.</source>
        <translation>已配对：模型“{0}”可画 {1}，各用自己的检查点。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="285"/>
        <source>Paired as &apos;{0}&apos; ({1}).</source>
        <translation>已配对为“{0}”（{1}）。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="295"/>
        <source>Pair checkpoints</source>
        <translation>配对检查点</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="296"/>
        <source>Two checkpoints: one paints light ink, the other dark ink</source>
        <translation>两个检查点：一个画淡墨，一个画浓墨</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="297"/>
        <source>One checkpoint, given a style</source>
        <translation>一个检查点，指定其风格</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="298"/>
        <source>Light ink (淡墨)</source>
        <translation>淡墨</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="299"/>
        <source>Dark ink (浓墨)</source>
        <translation>浓墨</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="300"/>
        <source>Checkpoint</source>
        <translation>检查点</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="301"/>
        <source>Its style</source>
        <translation>其风格</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="302"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="304"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="305"/>
        <source>Swap light and dark</source>
        <translation>交换淡墨与浓墨</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="308"/>
        <source>the model&apos;s name in the list</source>
        <translation>模型在列表中的名称</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="309"/>
        <source>Pair</source>
        <translation>配对</translation>
    </message>
    <message>
        <location filename="../../studio/ui/pair_dialog.py" line="311"/>
        <source>Each checkpoint must paint without styles of its own; both diffusion or both GAN. They may differ in format and size: the smaller one&apos;s paintings are resized to the larger. The pair is saved in your models folder (inkstudio pair does the same).</source>
        <translation>每个检查点本身须不带风格；两者须同为扩散模型或同为 GAN。格式和尺寸可以不同：较小者的画作会缩放到较大的尺寸。配对保存在你的模型文件夹中（与 inkstudio pair 命令相同）。</translation>
    </message>
</context>
</TS>
